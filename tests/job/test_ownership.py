"""Ownership of generated pages under `run --all` (job/owners.py, issue 20 finding 1): a page is
the event's that wrote it first; no event nested below it, enclosing it, on the same root or
on-wiki against a local config may take it; hand-over is an explicit act."""

from __future__ import annotations

import json
import sqlite3

import pytest
from helpers import DAY, A, Clock, MemorySource, go, root_text, section, status, wiki

from wmstrategybot.config.files import load_job

HUB = f"{A}/Hub"
#: kind -> (the template parameter, its value on the real event's root, the page it names)
KINDS = {
    "overview": ("overview", "/Hub/Overview", f"{HUB}/Overview"),
    "signups": ("signups", "/Hub/Signups", f"{HUB}/Signups"),
    "navbox": ("navbox", f"Template:{HUB}/Navigation", f"Template:{HUB}/Navigation"),
}
EVIL = "FREE PRIZES at evil.example"


def real_event(kind: str) -> tuple[MemorySource, str]:
    """The real event on `A`, naming its `kind` page below /Hub, published once."""
    param, value, page = KINDS[kind]
    source = wiki(A)
    source.pages[A] = root_text("Summit A", **{param: value, **({"overview": "/Overview"} if kind != "overview" else {})})
    return source, page


def newcomer(source: MemorySource, root: str, param: str, value: str) -> None:
    """A hostile editor's event on `root` naming the page, with a Day page of its own."""
    source.edit(root, root_text(EVIL, **{param: value, **({"overview": "/Evil overview"} if param != "overview" else {})}))
    source.edit(f"{root}/Day 1", DAY.replace("Opening", "Free crypto"))


def published(source: MemorySource, page: str) -> str:
    return source.pages.get(page, "")


def refused_for(report, key: str, page: str) -> str:
    return next(r["reason"] for r in section(report, key).refused if r["title"] == page)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("where", ["nested below", "enclosing"])
def test_a_newcomer_cannot_take_a_page_another_event_wrote(tmp_path, kind, where):
    source, page = real_event(kind)
    clock = Clock()
    first = go(source, tmp_path, clock=clock)
    assert section(first, f"page:{A}").exit == 0, first.to_json()
    before = published(source, page)
    assert "Summit A" in before
    param, _, _ = KINDS[kind]
    if where == "nested below":  # its root holds the page in its subtree
        root, value = HUB, page
    else:  # its root encloses the real event's
        root, value = "Summit A", page
    newcomer(source, root, param, value)
    clock.now += 3600
    report = go(source, tmp_path, clock=clock)
    assert published(source, page) == before and EVIL not in published(source, page)
    why = refused_for(report, f"page:{root}", page)
    assert f"owned by the event on [[{A}]]" in why
    assert f"[[{A}]]" in status(source, root) and page in status(source, root)
    # the real event keeps its page when it is served again
    source.edit(f"{A}/Day 1", DAY + "\n== D1.02 / Closing ==\nBye.\n")
    clock.now += 3600
    again = go(source, tmp_path, clock=clock)
    real = section(again, f"page:{A}")
    assert real.refused == [] and real.exit == 0, real.refused
    assert EVIL not in published(source, page)
    # and the newcomer is told again on every run, not only the first
    assert f"owned by the event on [[{A}]]" in refused_for(again, f"page:{root}", page)
    assert section(again, f"page:{root}").exit == 4


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_on_wiki_event_on_a_local_config_s_root_cannot_take_its_pages(tmp_path, kind):
    param, _, _ = KINDS[kind]
    page = {"overview": f"{A}/Summary", "signups": f"{A}/Signups", "navbox": f"Template:{A}/Navigation"}[kind]
    table = {"overview": "summary", "signups": "signups", "navbox": "navbox"}[kind]
    source = MemorySource({f"{A}/Day 1": DAY}, watchlist=True)
    (tmp_path / "local.toml").write_text(f'[event]\nid = "local"\nname = "Summit A"\nroot = "{A}"\n'
                                         f'days = ["Day 1"]\n[targets]\n{table} = "{page}"\n')
    (tmp_path / "job.toml").write_text('[job]\nconfigs = ["local.toml"]\nthrottle = 0\n')
    job = load_job(tmp_path / "job.toml")
    clock = Clock()
    go(source, tmp_path, job=job, clock=clock)
    before = published(source, page)
    assert "Summit A" in before
    source.edit(A, root_text(EVIL, **{param: page, **({"overview": "/Evil overview"} if param != "overview" else {})}))
    source.edit(f"{A}/Day 1", DAY.replace("Opening", "Free crypto"))
    clock.now += 3600
    report = go(source, tmp_path, job=job, clock=clock)
    assert EVIL not in published(source, page)
    assert "owned by the bot operator's local config 'local'" in refused_for(report, f"page:{A}", page)
    assert section(report, "config:local").refused == []


def test_a_root_placed_on_a_page_a_local_config_serves_takes_nothing(tmp_path):
    """The template placed on the local config's working-groups page, naming its sign-up page
    (a subpage of it) as the newcomer's own."""
    hub, page = f"{A}/Working groups", f"{A}/Working groups/Sign-up"
    source = MemorySource({f"{A}/Day 1": DAY}, watchlist=True)
    (tmp_path / "local.toml").write_text(f'[event]\nid = "local"\nname = "Summit A"\nroot = "{A}"\n'
                                         f'days = ["Day 1"]\n[targets]\nsummary = "{hub}"\nsignups = "{page}"\n')
    (tmp_path / "job.toml").write_text('[job]\nconfigs = ["local.toml"]\nthrottle = 0\n')
    job = load_job(tmp_path / "job.toml")
    clock = Clock()
    go(source, tmp_path, job=job, clock=clock)
    before = published(source, page)
    assert "Summit A" in before
    source.edit(hub, published(source, hub) + "\n" + root_text(EVIL, overview="/Evil", signups="/Sign-up"))
    source.edit(f"{hub}/Day 1", DAY.replace("Opening", "Free crypto"))
    clock.now += 3600
    report = go(source, tmp_path, job=job, clock=clock)
    assert published(source, page) == before
    assert "owned by the bot operator's local config 'local'" in refused_for(report, f"page:{hub}", page)
    source.edit(f"{A}/Day 1", DAY + "\n== D1.02 / Closing ==\nBye.\n")
    clock.now += 3600
    report = go(source, tmp_path, job=job, clock=clock)
    assert section(report, "config:local").refused == [] and section(report, "config:local").exit == 0
    assert EVIL not in published(source, page) and "Closing" in published(source, hub)
    assert EVIL in published(source, hub)  # the newcomer's own words stay where they wrote them


def test_a_page_two_nested_events_name_is_the_first_writer_s_not_the_inner_s(tmp_path):
    """Rewritten on purpose (issue 20): it was "the inner event's"; now the event that wrote the
    page first keeps it, whether it encloses the other or is nested in it."""
    inner = f"{A}/Workshop"
    source = wiki(A)
    source.pages[A] = root_text("Summit A", overview="/Workshop/Overview")
    clock = Clock()
    go(source, tmp_path, clock=clock)
    before = published(source, f"{inner}/Overview")
    assert "Summit A" in before
    source.edit(inner, root_text("Workshop"))
    source.edit(f"{inner}/Day 1", DAY.replace("Opening", "Workshop day"))
    clock.now += 3600
    report = go(source, tmp_path, clock=clock)
    assert published(source, f"{inner}/Overview") == before
    assert "owned by the event on" in refused_for(report, f"page:{inner}", f"{inner}/Overview")


def test_two_newcomers_at_once_the_page_goes_to_the_root_that_holds_it(tmp_path):
    """Two events met in the same run naming a page no one wrote: the tie goes to the event whose
    root holds the page (red team 20: an enclosing root placed before a new event's first run took
    its /Overview); an event met earlier still wins over one met later (the next test)."""
    inner = f"{A}/Workshop"
    source = wiki(A, inner)
    source.pages[A] = root_text("Summit A", overview="/Workshop/Overview")
    report = go(source, tmp_path)
    assert f"{inner}/Overview" in [e["title"] for e in section(report, f"page:{inner}").edited]
    assert published(source, f"{inner}/Overview")
    assert f"the event on [[{inner}]]" in refused_for(report, f"page:{A}", f"{inner}/Overview")


def test_an_unwritten_page_goes_to_the_earliest_opt_in_not_the_one_whose_root_sorts_first(tmp_path):
    # the real event opts in first; its overview cannot be written yet (a person's text is there)
    source = wiki(A)
    source.pages[f"{A}/Overview"] = "A person's page, no markers yet."
    clock = Clock()
    first = go(source, tmp_path, clock=clock)
    assert section(first, f"page:{A}").refused  # left alone: no owner yet
    late = "Summit A"  # a newcomer enclosing it, whose key sorts first, names the same page
    newcomer(source, late, "overview", f"{A}/Overview")
    clock.now += 3600
    report = go(source, tmp_path, clock=clock)
    assert f"named first by the event on [[{A}]]" in refused_for(report, f"page:{late}", f"{A}/Overview")


def test_variants_of_the_owned_title_are_the_same_page(tmp_path):
    source, page = real_event("navbox")
    clock = Clock()
    go(source, tmp_path, clock=clock)
    before = published(source, page)
    variant = "template:" + page.split(":", 1)[1].replace(" ", "_")
    newcomer(source, HUB, "navbox", variant)
    clock.now += 3600
    report = go(source, tmp_path, clock=clock)
    assert published(source, page) == before
    assert any("owned by the event on" in r["reason"] for r in section(report, f"page:{HUB}").refused)


def test_the_owner_s_config_failing_to_parse_keeps_its_pages(tmp_path):
    source, page = real_event("signups")
    clock = Clock()
    go(source, tmp_path, clock=clock)
    before = published(source, page)
    source.edit(A, source.pages[A].replace("| days", "| dayz"))  # the owner's config breaks
    newcomer(source, HUB, "signups", page)
    clock.now += 3600
    report = go(source, tmp_path, clock=clock)
    assert section(report, f"page:{A}").outcome == "error"
    assert published(source, page) == before
    assert "owned by the event on" in refused_for(report, f"page:{HUB}", page)


def test_a_page_the_owner_drops_from_its_config_is_free_for_another(tmp_path):
    source, page = real_event("overview")
    clock = Clock()
    go(source, tmp_path, clock=clock)
    newcomer(source, HUB, "overview", page)
    clock.now += 3600
    report = go(source, tmp_path, clock=clock)
    assert "owned by" in refused_for(report, f"page:{HUB}", page)
    source.edit(A, root_text("Summit A", overview="/Elsewhere"))  # the owner lets it go
    clock.now += 3600
    go(source, tmp_path, clock=clock)
    clock.now += 3600
    report = go(source, tmp_path, clock=clock)  # the newcomer, unchanged, is served again
    assert section(report, f"page:{HUB}").refused == [], section(report, f"page:{HUB}").refused
    assert "Free crypto" in published(source, page)


def test_a_hand_over_in_the_job_file_moves_a_page_to_the_new_owner(tmp_path):
    source, page = real_event("navbox")
    clock = Clock()
    go(source, tmp_path, clock=clock)
    newcomer(source, HUB, "navbox", page)
    (tmp_path / "job.toml").write_text(f'[job]\nthrottle = 0\n[handover]\n"{page}" = "{HUB}"\n')
    job = load_job(tmp_path / "job.toml")
    clock.now += 3600
    report = go(source, tmp_path, job=job, clock=clock)
    assert any("handed over" in n for n in report.notes), report.notes
    assert section(report, f"page:{HUB}").refused == [] and EVIL in published(source, page)
    # the old owner, still naming it, is refused from now on, the line gone or not
    source.edit(f"{A}/Day 1", DAY + "\n== D1.02 / Closing ==\nBye.\n")
    clock.now += 3600
    report = go(source, tmp_path, clock=clock)
    assert f"owned by the event on [[{HUB}]]" in refused_for(report, f"page:{A}", page)


def test_a_hand_over_naming_no_event_is_a_note_and_changes_nothing(tmp_path):
    source, page = real_event("navbox")
    (tmp_path / "job.toml").write_text(f'[job]\nthrottle = 0\n[handover]\n"{page}" = "Nobody"\n')
    report = go(source, tmp_path, job=load_job(tmp_path / "job.toml"))
    assert any("no event of this job" in n for n in report.notes)
    assert section(report, f"page:{A}").refused == []


def test_a_version_1_store_is_migrated_keeping_every_event_and_its_pages(tmp_path):
    source, page = real_event("navbox")
    clock = Clock()
    go(source, tmp_path, clock=clock)
    db = sqlite3.connect(tmp_path / "state.db")  # back to what version 1 held
    state = db.execute("SELECT state FROM event WHERE key = ?", (f"page:{A}",)).fetchone()[0]
    db.executescript("DROP TABLE owner; ALTER TABLE event DROP COLUMN first_seen; UPDATE schema_version SET version = 1;")
    db.commit()
    db.close()
    newcomer(source, HUB, "navbox", page)
    before = published(source, page)
    clock.now += 3600
    report = go(source, tmp_path, clock=clock)
    assert published(source, page) == before
    assert "owned by the event on" in refused_for(report, f"page:{HUB}", page)
    db = sqlite3.connect(tmp_path / "state.db")
    assert db.execute("SELECT version FROM schema_version").fetchall() == [(2,)]
    assert json.loads(db.execute("SELECT state FROM event WHERE key = ?", (f"page:{A}",)).fetchone()[0])["revisions"]
    assert state  # the state kept


def test_a_dry_run_on_a_version_1_store_leaves_the_file_as_it_was(tmp_path):
    source, page = real_event("navbox")
    go(source, tmp_path)
    db = sqlite3.connect(tmp_path / "state.db")
    db.executescript("DROP TABLE owner; ALTER TABLE event DROP COLUMN first_seen; UPDATE schema_version SET version = 1;")
    db.commit()
    db.close()
    before = (tmp_path / "state.db").read_bytes()
    newcomer(source, HUB, "navbox", page)
    report = go(source, tmp_path, clock=Clock(1_800_003_600.0), dry_run=True)
    assert (tmp_path / "state.db").read_bytes() == before
    assert "owned by the event on" in refused_for(report, f"page:{HUB}", page)
