"""`run --all` against what any wiki user could do with {{Event track bot}} on a page they can
edit, and against a wiki that fails, on the in-memory wiki: the subtree held, people's text
kept, no hang, no markup injected, no secret leaked, one event's failure its own."""

from __future__ import annotations

import mwparserfromhell
import pytest
from helpers import DAY, A, B, Clock, MemorySource, go, root_text, section, status, wiki

from wmstrategybot.config.wiki import read_wiki_config
from wmstrategybot.model.settings import SiteConfig
from wmstrategybot.render.kinds import target_titles

# --- writing outside the subtree --------------------------------------------------------------


def test_a_common_word_root_does_not_create_a_template_others_own(tmp_path):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    source = wiki("Wikimedia")
    source.pages["Wikimedia"] = root_text("Wikimedia", navbox="Template:Wikimedia Foundation")
    report = go(source, tmp_path)
    assert "Template:Wikimedia Foundation" not in source.pages
    assert "outside the event's pages" in section(report, "page:Wikimedia").error


# --- overwriting or deleting what people wrote ------------------------------------------------

HUMAN = "Notes people wrote, with no bot region.\n"


@pytest.mark.parametrize("target", ["/Day 1", "/Notes"])
def test_an_existing_target_with_people_s_text_and_no_bot_region_is_refused_not_overwritten(tmp_path, target):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    source = wiki(A)
    source.pages[A] = root_text("Summit A", overview=target)
    source.pages.setdefault(f"{A}/Notes", HUMAN)
    before = dict(source.pages)
    report = go(source, tmp_path)
    title = f"{A}/{target[1:]}"
    assert source.pages[title] == before[title]
    assert report.exit == 0 and report.events_failed and any(r["title"] == title for r in section(report, f"page:{A}").refused)


def test_a_target_that_is_the_event_s_own_status_page_is_refused(tmp_path):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    source = wiki(A)
    source.pages[A] = root_text("Summit A", overview="/Bot status")
    report = go(source, tmp_path)
    assert report.exit == 0 and report.events_failed and "status page" in section(report, f"page:{A}").error
    text = status(source, A)
    regions = [str(t) for t in mwparserfromhell.parse(text).filter_comments() if "wmstrategybot:begin" in str(t)]
    assert len(regions) <= 1 and "Opening" not in text


def test_an_enclosing_event_cannot_write_the_config_page_of_an_event_nested_in_it(tmp_path):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    outer, inner = "Summit", "Summit/Documentation"
    source = wiki(outer, inner)
    source.pages[outer] = root_text("Summit", overview="/Documentation")
    before = source.pages[inner]
    go(source, tmp_path)
    assert source.pages[inner] == before


def test_an_enclosing_event_does_not_take_over_the_generated_page_of_an_event_nested_in_it(tmp_path):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    outer, inner = "Summit", "Summit/Documentation"
    source = wiki(inner)
    go(source, tmp_path)  # the inner event published first
    published = source.pages[f"{inner}/Overview"]
    source.edit(outer, root_text("Summit", overview="/Documentation/Overview"))
    source.edit(f"{outer}/Day 1", DAY.replace("Opening", "Hijack"))
    go(source, tmp_path, clock=Clock(1_800_000_100.0))
    assert source.pages[f"{inner}/Overview"] == published


def test_a_status_page_a_person_edited_keeps_their_text(tmp_path):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    source = wiki(A)
    source.pages[A] = root_text("Summit A", dayz="x")  # a config error: the status page is written
    go(source, tmp_path)
    written = status(source, A)
    assert "dayz" in written
    source.edit(f"{A}/Bot status", "A person's note above.\n" + written.replace("unknown parameter",
                                                                               "a person's words"))
    mine = source.pages[f"{A}/Bot status"]
    source.edit(A, root_text("Summit A", dayz="y"))
    report = go(source, tmp_path, clock=Clock(1_800_000_100.0))
    after = source.pages[f"{A}/Bot status"]
    assert after != mine and section(report, f"page:{A}").exit != 0
    assert "A person's note above." in after and "a person's words" in after  # every byte of theirs
    assert after.index("a person's words") < after.index("wmstrategybot:begin status")
    assert "unknown parameter" in after.split("wmstrategybot:begin status")[1]  # the status, said afresh


def test_an_enclosing_event_cannot_name_a_template_or_page_of_an_event_nested_in_it():
    """Found by the red team of `run --all` (issue 14); by ownership since issue 20: the nested
    event opted in first and names those pages, so the enclosing one may not take them."""
    from wmstrategybot.job.owners import Ownership

    outer, inner = "Summit", "Summit/Documentation"
    text = ("{{Event track bot|days=Day 1|overview=/Documentation/Overview"
            "|navbox=Template:Summit/Documentation/Navigation|signups=/Signups}}")
    config = read_wiki_config(outer, text, SiteConfig()).config
    mine = read_wiki_config(inner, "{{Event track bot|days=Day 1|overview=/Overview"
                                   "|navbox=Template:Summit/Documentation/Navigation}}", SiteConfig()).config
    ownership = Ownership({}, {f"page:{inner}": 1.0, f"page:{outer}": 2.0}, 3.0)
    ownership.names(f"page:{inner}", target_titles(mine))
    ownership.names(f"page:{outer}", target_titles(config))
    kept, refused = ownership.keep(config, f"page:{outer}")
    assert {r["title"] for r in refused} == {f"{inner}/Overview", f"Template:{inner}/Navigation"}
    assert dict(kept.targets.items()) == {"signups": "Summit/Signups"}
    _, refused = ownership.keep(mine, f"page:{inner}")
    assert refused == []  # the inner event's own pages are inside the outer's subtree too


@pytest.mark.parametrize("root, target", [
    ("User:Bot", "/common.js"),  # the bot account's own user scripts: anyone may edit its user page
    ("User:Bot", "/Events/global.css"),
    ("User:Alice/Summit", "/x.js"),
    ("User:Alice/Summit", "/Style.CSS"),
])
def test_a_config_on_a_user_page_cannot_write_user_scripts_or_styles(tmp_path, root, target):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    source = wiki(root)
    source.pages[root] = root_text("Summit", overview=target)
    report = go(source, tmp_path)
    assert f"{root}{target}" not in source.pages
    assert report.exit == 0 and report.events_failed and "overview" in section(report, f"page:{root}").error


# --- hanging, or memory growing with the number of events -------------------------------------

def test_the_configs_of_many_events_are_read_a_batch_at_a_time(tmp_path, monkeypatch):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    from wmstrategybot.job import discovery as events

    roots = [f"Summit {n:03}/Documentation" for n in range(120)]
    source = wiki(*roots)
    held = []
    real = events.read_configs

    def read_configs(changed, records, *args):
        held.append(sum(len(r.text or "") for r in records.values()))
        return real(changed, records, *args)

    monkeypatch.setattr("wmstrategybot.job.runall.read_configs", read_configs)
    report = go(source, tmp_path)
    assert report.exit == 0 and len(report.events) == 120
    assert len(held) >= 3 and max(held) <= events.CONFIG_BATCH * max(len(source.pages[r]) for r in roots)


def test_a_days_list_of_ten_thousand_names_is_a_config_problem_not_ten_thousand_reads(tmp_path):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    source = wiki(A)
    source.pages[A] = root_text("Summit A", days=", ".join(f"Day {n}" for n in range(1, 10_001)))
    report = go(source, tmp_path)
    assert "line 4, days" in section(report, f"page:{A}").error and "at most" in status(source, A)
    assert report.api_requests < 10


# --- markup injection into the status page -----------------------------------------------------

INJECTED = ("{{Event track bot\n| name = X\n| days = Day 1, [[Category:Spam1]]\n| overview = [[Category:Spam2]]\n"
            "| [[Category:Spam3]] = 1\n| navbox = {{subst:Evil}}\n"
            "| markers = <script>alert(1)</script>[[Category:Spam4]]\n| {{Delete|spam}}\n| __NOINDEX__ {{nobots}}\n}}")


def test_config_text_quoted_on_the_status_page_calls_no_template_and_adds_no_category(tmp_path):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    source = wiki(A)
    source.pages[A] = INJECTED
    report = go(source, tmp_path)
    assert report.exit == 0 and report.events_failed
    code = mwparserfromhell.parse(status(source, A))
    assert {str(t.name).strip() for t in code.filter_templates()} <= {"!"}
    assert not [l for l in code.filter_wikilinks() if str(l.title).strip().lower().startswith("category:")]
    assert "__NOINDEX__" not in str(code) and "Delete" in str(code)  # shown, as text


# --- locking the job out -------------------------------------------------------------------------


def test_a_config_that_crashes_its_reading_fails_its_event_only(tmp_path):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    source = wiki(A, B)
    source.pages[A] = root_text("Summit A", year="²")  # str.isdigit, but not int()
    report = go(source, tmp_path)
    assert report.exit == 0 and report.events_failed and "Opening" in source.pages[f"{B}/Overview"]
    assert "year" in section(report, f"page:{A}").error and "year" in status(source, A)


def _poison(page, text, site):
    if page == A:
        raise RecursionError("maximum recursion depth exceeded")
    return read_wiki_config(page, text, site)


def test_any_error_reading_one_config_fails_that_event_not_the_job(tmp_path, monkeypatch):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    from wmstrategybot.job import discovery as events

    monkeypatch.setattr(events, "read_wiki_config", _poison)
    source = wiki(A, B)
    report = go(source, tmp_path)
    assert report.exit == 0 and report.events_failed and "Opening" in source.pages[f"{B}/Overview"]
    assert "RecursionError" in section(report, f"page:{A}").error


@pytest.mark.parametrize("broken", [False, True])
def test_a_protected_status_page_does_not_stop_the_event_or_the_job(tmp_path, monkeypatch, broken):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    from wmstrategybot.errors import SkippedPage

    source = wiki(A, B)
    if broken:
        source.pages[A] = root_text("Summit A", dayz="x")
    real = source.save

    def save(page, text, summary, content_model=None):
        if page.title == f"{A}/Bot status":
            raise SkippedPage(page.title, "protectedpage", "This page has been protected")
        return real(page, text, summary, content_model)

    monkeypatch.setattr(source, "save", save)
    report = go(source, tmp_path)
    assert "Opening" in source.pages[f"{B}/Overview"] and f"{A}/Bot status" not in source.pages
    assert ("Opening" in source.pages.get(f"{A}/Overview", "")) == (not broken)
    assert report.exit == 0 and bool(report.events_failed) == broken


# --- the wiki changing under the run -------------------------------------------------------------

@pytest.mark.parametrize("how", ["deleted", "moved"])
def test_a_root_gone_between_discovery_and_reading_creates_no_page_below_it(tmp_path, monkeypatch, how):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    source = wiki(A, B)
    real = source.embedded_in

    def embedded_in(template):
        found = real(template)
        if how == "deleted":
            source.delete(A)
        else:
            source.move(A, "Summit A/Docs")
        return found

    monkeypatch.setattr(source, "embedded_in", embedded_in)
    report = go(source, tmp_path)
    assert f"{A}/Bot status" not in source.pages and not any(t.startswith(f"{A}/O") for t in source.pages)
    assert section(report, f"page:{A}").exit != 0 and "Opening" in source.pages[f"{B}/Overview"]


# --- leaks -----------------------------------------------------------------------------------------

def test_a_secret_in_an_error_message_reaches_neither_the_public_status_page_nor_the_report(tmp_path, monkeypatch):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    from wmstrategybot.job import serve as run_module

    def plan(config, *args, **kwargs):
        raise RuntimeError("POST failed: action=login&lgname=Bot&lgpassword=hunter2secret&token=abc123tok%2B%5C")

    monkeypatch.setattr(run_module, "plan", plan)
    source = wiki(A)
    report = go(source, tmp_path)
    assert report.exit == 0 and report.events_failed and "internal error" in section(report, f"page:{A}").error
    for text in (status(source, A), report.to_json(), "\n".join(report.lines())):
        assert "hunter2secret" not in text and "abc123tok" not in text


# --- held: names that look inside but are not, or look outside but are ----------------------------


@pytest.mark.parametrize("root", ["Module:Event/doc", "MediaWiki:Event"])
def test_a_root_on_a_module_doc_or_an_interface_page_makes_the_bot_write_no_code_or_message(tmp_path, root):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    source = wiki(root)
    before = set(source.pages)
    report = go(source, tmp_path)
    assert set(source.pages) == before and report.exit == 0 and report.events_failed


def test_a_marker_with_catastrophic_backtracking_fails_its_event_under_the_parse_bound(tmp_path, monkeypatch):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    from dataclasses import replace

    from wmstrategybot.job import runall

    real = runall.serve

    def serve(config, *args, **kwargs):  # the parse bound of every event, shortened for the test
        return real(replace(config, bot=replace(config.bot, parse_timeout=1.0)), *args, **kwargs)

    monkeypatch.setattr(runall, "serve", serve)
    source = wiki(A, B)
    source.pages[A] = root_text("Summit A", markers="session = ^(?P<title>(a+)+)$")
    source.pages[f"{A}/Day 1"] = DAY + "== " + "a" * 60 + "b ==\n" + "a" * 60 + "b\n"
    report = go(source, tmp_path)
    assert "took longer than 1 s" in section(report, f"page:{A}").error
    assert "Opening" in source.pages[f"{B}/Overview"] and report.exit == 0 and report.events_failed


MARKERS = ("<!-- wmstrategybot:begin status -->\n<!-- wmstrategybot:begin status -->\n"
           "<!-- wmstrategybot:end status -->\n<!-- wmstrategybot:end status --><!-- wmstrategybot:end x -->\n")


@pytest.mark.parametrize("broken", [False, True])
def test_a_status_page_with_broken_markers_is_left_alone_and_the_job_goes_on(tmp_path, broken):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    source = wiki(A, B)
    if broken:
        source.pages[A] = root_text("Summit A", dayz="x")
    source.pages[f"{A}/Bot status"] = MARKERS
    report = go(source, tmp_path)
    assert source.pages[f"{A}/Bot status"] == MARKERS and "Opening" in source.pages[f"{B}/Overview"]
    assert section(report, f"page:{A}").exit == (2 if broken else 0)


def test_ten_thousand_calls_of_the_template_on_one_page_are_one_problem(tmp_path):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    source = wiki(A, B)
    source.pages[A] = "{{Event track bot|days=Day 1}}\n" * 10_000
    report = go(source, tmp_path)
    assert "called 10000 times" in section(report, f"page:{A}").error and section(report, f"page:{B}").exit == 0


def test_the_template_placed_on_an_event_s_own_generated_page_does_not_take_that_page_from_it(tmp_path):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    source = wiki(A)
    go(source, tmp_path)
    overview = f"{A}/Overview"
    source.edit(overview, source.pages[overview] + "\n{{Event track bot|days=Day 1|overview=/Sub}}\n")
    source.edit(f"{A}/Day 1", DAY + "\n== D1.02 / Closing ==\nBye.\n")
    report = go(source, tmp_path, clock=Clock(1_800_000_100.0))
    assert "Closing" in source.pages[overview] and section(report, f"page:{A}").exit == 0


def test_pages_that_transclude_the_template_through_another_template_get_no_status_page(tmp_path, monkeypatch):
    # someone adds <includeonly>{{Event track bot}}</includeonly> to a widely used template: every
    # page using it is listed by embeddedin, though none of their texts calls the template
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    articles = [f"Article {n}" for n in range(20)]
    source = wiki(A)
    for title in articles:
        source.edit(title, "{{Infobox}} An article.")
    real = source.embedded_in
    monkeypatch.setattr(source, "embedded_in", lambda template: sorted([*real(template), *articles]))
    before = set(source.pages)
    report = go(source, tmp_path)
    assert set(source.pages) - before == {f"{A}/Overview"} | ({f"{A}/Bot status"} & set(source.pages))
    assert all("does not call" in section(report, f"page:{t}").error for t in articles)


def test_a_parameter_name_cannot_forge_a_line_of_the_status_page_or_the_report(tmp_path):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    source = wiki(A)
    forged = "[[Summit B/Documentation]] left alone: forged"
    source.pages[A] = f"{{{{Event track bot\n| days = Day 1\n| foo\n* {forged}\n= x\n}}}}"
    report = go(source, tmp_path)
    assert report.exit == 0 and report.events_failed
    assert not any(line.startswith(f"* {forged}") for line in status(source, A).splitlines())
    assert all("\n" not in line for line in report.lines())


@pytest.mark.parametrize("kind, title", [
    ("overview", f"{A}/Notes"), ("signups", f"{A}/Notes"), ("data", f"{A}/Notes"), ("data", f"{A}/Data.json"),
    ("navbox", f"Template:{A}/Navigation"), ("navbox", f"Template:{A}"),
])
def test_each_kind_of_target_existing_with_people_s_text_is_left_as_it_is(tmp_path, kind, title):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    source = wiki(A)
    source.pages[A] = root_text("Summit A", **{kind: title})
    source.edit(title, '{"people": "wrote this"}' if title.endswith(".json") else HUMAN)
    before = source.pages[title]
    go(source, tmp_path)
    assert source.pages[title] == before


def test_an_on_wiki_event_enclosing_a_local_config_s_event_cannot_take_over_its_pages(tmp_path):
    """Found by the red team of `run --all` (issue 14): their words are kept. Since red team 20
    (a forged "done" in the region hid every later refusal), kept above the region, which the
    bot writes afresh."""
    from wmstrategybot.config.files import load_job

    source = MemorySource({"Local event/Docs/Day 1": DAY}, watchlist=True)
    (tmp_path / "local.toml").write_text('[event]\nid = "local"\nname = "Local"\nroot = "Local event/Docs"\n'
                                         'days = ["Day 1"]\n[targets]\nsummary = "Local event/Docs/Summary"\n')
    (tmp_path / "job.toml").write_text('[job]\nconfigs = ["local.toml"]\nthrottle = 0\n')
    job = load_job(tmp_path / "job.toml")
    go(source, tmp_path, job=job)
    published = source.pages["Local event/Docs/Summary"]
    source.edit("Local event", root_text("Local event", overview="/Docs/Summary"))
    source.edit("Local event/Day 1", DAY.replace("Opening", "Hijack"))
    report = go(source, tmp_path, job=job, clock=Clock(1_800_000_100.0))
    assert source.pages["Local event/Docs/Summary"] == published
    assert "owned by the bot operator's local config 'local'" in section(report, "page:Local event").refused[0]["reason"]
