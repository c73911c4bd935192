"""Shared pytest fixtures."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_SCRIPTS_DIR = Path(__file__).resolve().parent.parent / "scripts"


@pytest.fixture(scope="session")
def wiki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real throwaway MediaWiki (scripts/testwiki.py), started once per session.

    Skips the tests that use it when it cannot start, except with CI=true,
    where that is a failure.
    """
    if str(_SCRIPTS_DIR) not in sys.path:
        sys.path.insert(0, str(_SCRIPTS_DIR))
    try:
        import testwiki

        instance = testwiki.TestWiki(tmp_path_factory.mktemp("testwiki"))
        instance.start()
    except Exception as exc:  # WikiError, no packages/requests, a timeout, ...
        reason = f"the test wiki could not start: {type(exc).__name__}: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    try:
        yield instance
    finally:
        instance.stop()
