"""A one-thread background stage, so that parsing and storing overlap.

zlib, hashlib and sqlite release the GIL on large buffers, so reading the next batch
while the previous one is stored gains real time even in CPython.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
_STOP = object()


class BackgroundWorker(Generic[T]):
    """Runs ``handle(item)`` for each submitted item, in order, on one thread."""

    def __init__(self, handle: Callable[[T], None], depth: int = 1) -> None:
        self._handle = handle
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="netpatrol-store", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is _STOP:
                    return
                if self._error is None:  # after a failure, drop the rest: nothing half-done
                    self._handle(item)  # type: ignore[arg-type]
            except BaseException as exc:
                self._error = exc
            finally:
                self._queue.task_done()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def submit(self, item: T) -> None:
        self._raise()
        self._queue.put(item)

    def drain(self) -> None:
        """Wait until everything submitted is handled; re-raise a failure."""
        self._queue.join()
        self._raise()

    def close(self) -> None:
        self._queue.put(_STOP)
        self._thread.join()
        self._raise()
