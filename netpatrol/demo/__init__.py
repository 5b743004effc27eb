"""``netpatrol demo``: the whole patrol on the bundled samples and test marketplace, offline."""
