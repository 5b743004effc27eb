"""Images: safe decoding (``decode``) and hashing (``hashing``: MD5, SHA-256, PDQ, pHash)."""
