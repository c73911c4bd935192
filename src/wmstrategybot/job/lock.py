"""The run's lock: one run at a time per state file (a second one exits at once)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wmstrategybot.errors import Locked


@contextmanager
def run_lock(state_path: Path) -> Iterator[None]:
    """An exclusive, non-blocking lock beside the state file; released when the process ends."""
    state_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = state_path.with_name(state_path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Locked(f"another run holds the lock {lock_path}; not starting") from None
        yield
    finally:
        os.close(fd)
