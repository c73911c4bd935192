"""What the site source sends with an edit (a stub in place of pywikibot's site: pure request shaping).

The live-wiki tests prove the behaviour against a real MediaWiki; this pins the parameters.
"""

from __future__ import annotations

import pytest

pywikibot_exceptions = pytest.importorskip("pywikibot.exceptions")

from wmstrategybot.errors import EditConflict, PageDeleted
from wmstrategybot.sources.site import SiteSource, SkippedPage


class StubRequest:
    def __init__(self, site, params):
        self.site, self.params = site, dict(params)
        if params.get("action") == "edit":
            self.params["assert"] = "user"  # as pywikibot's Request does for every write

    def __setitem__(self, key, value):
        self.params[key] = value

    def submit(self):
        self.site.sent.append(self.params)
        answer = self.site.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


class StubSite:
    def __init__(self, answers, rights=("bot",)):
        self.answers = list(answers)
        self.sent = []
        self.rights = rights
        self.tokens = {"csrf": "t0ken+\\"}

    def simple_request(self, **params):
        return StubRequest(self, params)

    def logged_in(self):
        return True

    def has_right(self, right):
        return right in self.rights

    def username(self):
        return "WmBot"

    def __str__(self):
        return "stub:en"


READ = {
    "curtimestamp": "2026-01-01T00:00:09Z",
    "query": {
        "normalized": [{"from": "foo", "to": "Foo"}],
        "pages": [
            {"title": "Foo", "revisions": [{"revid": 7, "timestamp": "2026-01-01T00:00:01Z", "user": "Ann",
                                            "slots": {"main": {"content": "old", "contentmodel": "wikitext"}}}]},
            {"title": "New", "missing": True},
        ],
    },
}


def test_read_keeps_revision_timestamp_and_start_time():
    site = StubSite([READ])
    pages = SiteSource(site).read(["foo", "New"])
    assert pages["foo"].revision == 7 and pages["foo"].timestamp == "2026-01-01T00:00:01Z"
    assert pages["foo"].user == "Ann" and not pages["New"].exists
    assert site.sent[0]["curtimestamp"] and site.sent[0]["titles"] == ["foo", "New"]


def test_update_carries_the_read_revision_and_never_recreates():
    site = StubSite([READ, {"edit": {"result": "Success", "newrevid": 8}}])
    src = SiteSource(site)
    page = src.read(["foo", "New"])["foo"]
    result = src.save(page, "new text", "summary")
    sent = site.sent[-1]
    assert result.revision == 8
    assert sent["baserevid"] == 7
    # basetimestamp would let MediaWiki take a same-second human edit for the bot's own
    assert "basetimestamp" not in sent
    assert sent["starttimestamp"] == "2026-01-01T00:00:09Z"
    assert sent["nocreate"] is True and "recreate" not in sent and "createonly" not in sent
    assert sent["assert"] == "bot" and sent["assertuser"] == "WmBot" and sent["bot"] is True


def test_create_is_create_only_with_its_content_model():
    site = StubSite([READ, {"edit": {"result": "Success", "newrevid": 9}}])
    src = SiteSource(site)
    page = src.read(["foo", "New"])["New"]
    assert src.save(page, "{}", "s", "json").created
    sent = site.sent[-1]
    assert sent["createonly"] is True and sent["contentmodel"] == "json" and "basetimestamp" not in sent


@pytest.mark.parametrize(
    "code, error",
    [("editconflict", EditConflict), ("articleexists", EditConflict), ("pagedeleted", PageDeleted),
     ("missingtitle", PageDeleted), ("protectedpage", SkippedPage), ("abusefilter-warning", SkippedPage),
     ("spamblacklist", SkippedPage), ("assertbotfailed", SkippedPage)],
)
def test_api_errors_map_to_outcomes(code, error):
    api_error = pywikibot_exceptions.APIError(code, "info")
    site = StubSite([READ, api_error])
    src = SiteSource(site)
    page = src.read(["foo"])["foo"]
    with pytest.raises(error):
        src.save(page, "x", "s")
    assert len(site.sent) == 2  # one edit request: nothing resubmitted


def test_a_user_without_bot_right_asserts_user():
    site = StubSite([READ, {"edit": {"result": "Success", "nochange": True}}], rights=())
    src = SiteSource(site)
    page = src.read(["foo"])["foo"]
    assert src.save(page, "old", "s").revision == 7
    assert site.sent[-1]["assert"] == "user" and "bot" not in site.sent[-1]


def test_read_follows_continuation_past_the_result_size_cap():
    part1 = {"curtimestamp": "2026-01-01T00:00:09Z", "continue": {"rvcontinue": "8|123", "continue": "||"},
             "query": {"pages": [
                 {"title": "A", "revisions": [{"revid": 1, "timestamp": "t", "slots": {"main": {"content": "a"}}}]},
                 {"title": "B"}]}}
    part2 = {"query": {"pages": [
        {"title": "A"},
        {"title": "B", "revisions": [{"revid": 2, "timestamp": "t", "slots": {"main": {"content": "b"}}}]}]}}
    site = StubSite([part1, part2])
    pages = SiteSource(site).read(["A", "B"])
    assert pages["A"].text == "a" and pages["B"].text == "b" and pages["B"].exists
    assert site.sent[1]["rvcontinue"] == "8|123"


def test_a_page_without_text_is_an_error_not_a_missing_page():
    from wmstrategybot.errors import SourceError

    site = StubSite([{"query": {"pages": [{"title": "A"}]}}])
    with pytest.raises(SourceError, match="not treating it as missing"):
        SiteSource(site).read(["A"])


def test_only_known_refusals_are_lasting_skips():
    from wmstrategybot.errors import SkippedPage

    assert SkippedPage("A", "protectedpage", "the page is protected").lasting
    assert SkippedPage("A", "abusefilter-disallowed", "a filter").lasting
    assert not SkippedPage("A", "internal_api_error_DBQueryError", "[abc] database error").lasting
