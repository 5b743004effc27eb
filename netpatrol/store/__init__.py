"""Storage: SQLAlchemy database (SQLite or PostgreSQL) and WARC evidence on disk."""

from netpatrol.store.store import SourceState, Store, StoredCapture

__all__ = ["SourceState", "Store", "StoredCapture"]
