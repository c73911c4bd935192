"""Every test in this folder needs the real test wiki: each is marked `wiki` here, so that
`-m "not wiki"` leaves the folder out and no file has to say it."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # the hook sees every item of the session, not only this folder's
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.wiki)
