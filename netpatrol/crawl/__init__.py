"""``netpatrol crawl``: a polite, resumable, focused crawler on Scrapy with WARC evidence."""
