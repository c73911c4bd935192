"""Shared pytest fixtures."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["live"]  # the live-wiki fixtures

_SCRIPTS_DIR = Path(__file__).resolve().parent.parent / "scripts"

# pywikibot reads PYWIKIBOT_DIR once, when first imported, and keeps its throttle file,
# caches and logs there: point it at a private folder before any test imports it. The
# live-wiki fixtures write the test wiki's family and BotPassword there later.
# (With PYWIKIBOT_NO_USER_CONFIG instead, pywikibot ignores PYWIKIBOT_DIR and writes its
# cookie jar into the working directory.)
PYWIKIBOT_DIR = Path(tempfile.mkdtemp(prefix="wmstrategybot-pywikibot-"))
(PYWIKIBOT_DIR / "user-config.py").write_text("# replaced by the live-wiki fixture\n")
os.environ["PYWIKIBOT_DIR"] = str(PYWIKIBOT_DIR)


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

        workdir = tmp_path_factory.mktemp("testwiki")
        # The bot account has no `noratelimit`, as on Meta-Wiki. The tests make more edits a
        # minute than the default limits allow (edit: 90/min; editcontentmodel, which every
        # save of a JSON page counts against: 8/min), so limits are off, unless a test drops
        # a ratelimits.php beside LocalSettings.php (read on every request) to set some.
        settings = (
            "if (is_file(__DIR__ . '/ratelimits.php')) { include __DIR__ . '/ratelimits.php'; }\n"
            "else { $wgRateLimits = []; }\n"
        )
        instance = testwiki.TestWiki(workdir, extra_settings=settings)
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
