"""Link: sites, seller accounts, listings and identifiers joined into networks.

Pure functions of :class:`netpatrol.link.facts.LinkInput` (what the store holds, read by
``netpatrol.store.networks``); no I/O here except the shipped hub list.
"""
