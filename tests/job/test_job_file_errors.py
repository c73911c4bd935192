"""A job file the wiki contradicts (issue #20): an allowlist page missing or listing nothing, a
namespace no page can be in. An error of the job (exit 2), before any event is looked at: no
event counted as removed, every state kept (the live tests check a namespace the wiki lacks)."""

from __future__ import annotations

import pytest
from helpers import A, Clock, go, section, wiki

from wmstrategybot.config.job import JobConfig
from wmstrategybot.errors import ConfigError
from wmstrategybot.exits import EXIT_ERROR, exit_for

LISTING = "Project:Bot/Allowed"


@pytest.mark.parametrize("text, words", [(None, "does not exist"), ("Nobody yet.", "lists no page")])
def test_an_allowlist_missing_or_empty_stops_the_job_and_keeps_every_state(tmp_path, text, words):
    source = wiki(A, watchlist=True)
    source.edit(LISTING, f"* [[{A}]]\n")
    job = JobConfig(allowlist=LISTING, removal_grace_days=0)
    clock = Clock()
    assert section(go(source, tmp_path, job=job, clock=clock), f"page:{A}").exit == 0
    if text is None:
        source.delete(LISTING)
    else:
        source.edit(LISTING, text)
    with pytest.raises(ConfigError) as caught:
        go(source, tmp_path, job=job, clock=clock)
    assert LISTING in str(caught.value) and words in str(caught.value) and exit_for(caught.value) == EXIT_ERROR
    source.edit(LISTING, f"* [[{A}]]\n")
    again = go(source, tmp_path, job=job, clock=clock)
    assert not again.removed and not again.dropped
    assert section(again, f"page:{A}").outcome == "nothing-changed"  # its state is still there


def test_a_namespace_no_page_can_be_in_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="namespace -1"):
        go(wiki(A, watchlist=True), tmp_path, job=JobConfig(namespaces=frozenset({0, -1})))
