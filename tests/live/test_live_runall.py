"""`run --all` on the real test wiki (issue 14): events opt in by placing {{Event track bot}} on
their root page, and one scheduled job serves them all, with nothing configured on the bot's
machine but pywikibot's user-config.py.

Every run is the installed `wmstrategybot` in a subprocess, as cron or a Toolforge job would
start it: `--source site run --all`, no `--config`, the PYWIKIBOT_DIR of the live tests, a
fresh state database per test. What a run did is read back from the wiki through the API (the
bot's contributions, the pages' texts and revisions), beside its exit code and JSON report.
Each test creates its events under roots of its own and takes the template off them when it
ends, so that the next test's runs discover only that test's events.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO

from wmstrategybot.config.wiki import TEMPLATE, read_wiki_config, status_page_for
from wmstrategybot.job.discovery import page_key
from wmstrategybot.model.settings import SiteConfig

if str(REPO / "scripts") not in sys.path:
    sys.path.insert(0, str(REPO / "scripts"))  # testwiki.py

#: the parameters of an event's config, in the order an organiser writes them
PARAMETERS = {"name": None, "days": "Day 1, Day 2, Day 3", "summary": "Summary", "overview": "/Overview",
              "navbox": "/Navigation", "data": "/Data.json"}
#: what a run writes in each subtree (relative to the root) with PARAMETERS
WRITTEN = ("Overview", "Navigation", "Data.json", "Bot status")
SESSIONS = 8  # the snapshot's sessions, which each event's Day pages hold
_numbers = itertools.count(1)


def _manyevents():
    spec = importlib.util.spec_from_file_location("manyevents", REPO / "bench" / "manyevents.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MANYEVENTS = _manyevents()


def config_call(**params: str | None) -> str:
    """The template call an organiser writes: one parameter a line (None leaves one out)."""
    lines = [f"{{{{{TEMPLATE}"]
    lines += [f"| {key} = {value}" for key, value in params.items() if value is not None]
    return "\n".join(lines) + "\n}}"


def root_text(call: str) -> str:
    return f"The documentation of this event, written by its organisers.\n\n{call}\n\n== Notes ==\nBy hand.\n"


@dataclass
class OnWikiEvent:
    """An event on the wiki: its root page calling the template, its Day and summary pages
    (the bundled snapshot's, renamed by bench/manyevents.py's generator)."""

    root: str
    name: str
    editor: Any  # the ApiSession of the organiser who wrote the pages

    def title(self, relative: str) -> str:
        return f"{self.root}/{relative}"

    @property
    def status(self) -> str:
        return status_page_for(self.root)

    @property
    def written(self) -> list[str]:
        return [self.title(page) for page in WRITTEN]

    @property
    def sources(self) -> list[str]:
        return [self.root, *(self.title(page) for page in (*MANYEVENTS.DAYS, MANYEVENTS.SUMMARY))]

    def set_config(self, **params: str | None) -> str:
        """Rewrite the root page with a call of these parameters (PARAMETERS by default); the text."""
        merged = {**PARAMETERS, "name": self.name, **params}
        text = root_text(config_call(**merged))
        self.editor.edit(self.root, text, "configure the bot")
        return text


class Wiki:
    """What the tests ask the wiki, through the API."""

    def __init__(self, api, bot_user: str):
        self.api = api
        self.bot_user = bot_user

    def mark(self) -> int:
        """The newest revision id on the wiki now (a bot edit after this has a larger one)."""
        rc = self.api.get(action="query", list="recentchanges", rctype="edit|new", rcprop="ids",
                          rclimit=1)["query"]["recentchanges"]
        return int(rc[0]["revid"]) if rc else 0

    def bot_edits_since(self, mark: int) -> list[str]:
        """The titles the bot saved since `mark`, oldest first (one entry per revision)."""
        contribs = self.api.get(action="query", list="usercontribs", ucuser=self.bot_user, ucprop="ids|title",
                                uclimit="max")["query"]["usercontribs"]
        return [c["title"] for c in sorted(contribs, key=lambda c: c["revid"]) if c["revid"] > mark]

    def text(self, title: str) -> str | None:
        return self.api.page_text(title)

    def revisions(self, titles: list[str]) -> dict[str, int | None]:
        return {t: self.api.latest_revid(t) for t in titles}

    def rendered(self, title: str) -> str:
        """The page as readers see it (action=parse), markup dropped."""
        # parsed afresh, as after the job queue's purge: the parser cache still holds the render
        # from before the status page existed ($wgJobRunRate is 0 on the test wiki)
        html = self.api.get(action="parse", title=title, text=self.text(title) or "", contentmodel="wikitext",
                            prop="text", disablelimitreport=1)["parse"]["text"]
        return " ".join(re.sub(r"<[^>]+>", " ", str(html)).split())


@dataclass
class Ran:
    """One `run --all`: its exit code, its JSON report, what it printed."""

    code: int
    report: dict[str, Any]
    stdout: str
    stderr: str

    def why(self) -> str:
        """For a failing assertion: the whole report and the end of stderr."""
        return f"{json.dumps(self.report, indent=1)[:6000]}\nstderr: {self.stderr[-2000:]}"

    def section(self, root: str) -> dict[str, Any]:
        """The report's section of the event whose root is `root`."""
        for item in self.report["events"]:
            if item["event"] == page_key(root):
                return item
        raise AssertionError(f"no section for {root!r} in the report: {self.why()}")

    def served(self) -> set[str]:
        """The roots of the on-wiki events the report has a section for."""
        return {item["event"].removeprefix("page:") for item in self.report["events"]}


def bot_command() -> list[str]:
    """The installed console script, as a scheduled job starts it."""
    import testwiki

    return shlex.split(testwiki.bot_command())


def offline_env(pwb_dir: Path, home: Path) -> dict[str, str]:
    """The environment of a scheduled job on the test wiki: pywikibot's directory, a home of its
    own (the default state database goes there), and any request beyond 127.0.0.1 failing at once."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    dead = "http://127.0.0.1:9"  # the discard port: nothing listens there
    env.update(PYWIKIBOT_DIR=str(pwb_dir), HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"),
               XDG_STATE_HOME=str(home / ".local" / "state"), HTTP_PROXY=dead, HTTPS_PROXY=dead, ALL_PROXY=dead,
               http_proxy=dead, https_proxy=dead, NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    return env


def bot(args: list[str], pwb_dir: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """`wmstrategybot ARGS` as a scheduled job runs it (no --config)."""
    assert "--config" not in args
    return subprocess.run([*bot_command(), *args], capture_output=True, text=True, env=offline_env(pwb_dir, home),
                          timeout=600)


def run_all(pwb_dir: Path, home: Path, *extra: str, state: Path | None = None) -> Ran:
    """`wmstrategybot --source site run --all [--state DB] --report-json`."""
    args = ["--source", "site", "run", "--all", *extra, "--report-json"]
    if state is not None:
        args[4:4] = ["--state", str(state)]
    done = bot(args, pwb_dir, home)
    assert "Traceback" not in done.stderr, done.stderr
    try:
        report = json.loads(done.stdout)
    except ValueError:
        raise AssertionError(f"no JSON report (exit {done.returncode}): stdout {done.stdout[:1500]!r} "
                             f"stderr {done.stderr[-1500:]!r}") from None
    return Ran(done.returncode, report, done.stdout, done.stderr)


def published(wiki: Wiki, event: OnWikiEvent) -> None:
    """The event's subtree holds what a run publishes: the overview of its sessions, the navbox
    linking its days, the data page, and the status page."""
    overview = wiki.text(event.title("Overview")) or ""
    assert overview.count("{{Event track session") == SESSIONS, overview[:500]
    assert event.title("Day 2") in overview
    navbox = wiki.text(event.title("Navigation")) or ""
    assert all(event.title(day) in navbox for day in MANYEVENTS.DAYS), navbox[:500]
    data = json.loads(wiki.text(event.title("Data.json")) or "{}")["data"]
    assert data["event"]["root"] == event.root and data["event"]["name"] == event.name
    assert len(data["sessions"]) == SESSIONS
    assert wiki.text(event.status) is not None


def same_line(text: str, *words: str) -> bool:
    return any(all(w in line for w in words) for line in text.splitlines())


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def snapshot_texts() -> dict[str, str]:
    return MANYEVENTS._snapshot_texts()


@pytest.fixture
def wiki_api(wiki, admin) -> Wiki:
    return Wiki(admin, wiki.bot_user)


@pytest.fixture
def job(tmp_path, pwb):
    """Run the job: `job()` -> Ran; one state database for the test."""
    from live import PYWIKIBOT_DIR

    home = tmp_path / "home"
    home.mkdir()
    state = tmp_path / "job.db"

    def run(*extra: str) -> Ran:
        return run_all(PYWIKIBOT_DIR, home, *extra, state=state)

    return run


@pytest.fixture
def opt_in(admin, alice, templates_installed, snapshot_texts):
    """`opt_in(label, editor=admin, under=None, **params)` -> an OnWikiEvent whose root calls the
    template. Every root made is taken off the template when the test ends."""
    token = secrets.token_hex(3)
    made: list[OnWikiEvent] = []

    def make(label: str, editor=None, under: str | None = None, **params: str | None) -> OnWikiEvent:
        editor = editor or admin
        number = next(_numbers)
        root = f"{under or 'Runall ' + token}/{label} {number}"
        event = OnWikiEvent(root, f"Runall event {label} {token}", editor)
        for page in (*MANYEVENTS.DAYS, MANYEVENTS.SUMMARY):
            editor.edit(event.title(page), MANYEVENTS._renamed(snapshot_texts[page], root), "write the event's pages")
        made.append(event)
        event.set_config(**params)
        return event

    yield make
    for event in made:  # off the template: the next test's runs must not find these
        admin.edit(event.root, "No longer served (test over).", "test over")


# ---------------------------------------------------------------- the cases


def test_two_events_opting_in_are_published_by_the_next_run(opt_in, job, wiki_api):
    a, b = opt_in("Alpha"), opt_in("Beta")
    mark = wiki_api.mark()
    ran = job()
    assert ran.code == 0, ran.why()
    assert ran.served() == {a.root, b.root}
    for event in (a, b):
        published(wiki_api, event)
        assert ran.section(event.root).get("exit", 0) == 0
    edits = wiki_api.bot_edits_since(mark)
    assert sorted(edits) == sorted(a.written + b.written)  # one save each, nothing elsewhere


def test_a_no_op_run_edits_nothing_and_costs_the_watchlist_and_discovery(opt_in, job, wiki_api):
    a, b = opt_in("Gamma"), opt_in("Delta")
    assert job().code == 0
    before = wiki_api.revisions(a.written + b.written + a.sources + b.sources)
    mark = wiki_api.mark()
    ran = job()
    assert ran.code == 0, ran.why()
    assert wiki_api.bot_edits_since(mark) == []
    assert wiki_api.revisions(list(before)) == before
    figures = ran.report
    requests = figures.get("api_requests", figures.get("requests"))
    assert requests == 2, figures  # one watchlist request, one discovery request
    for event in (a, b):
        section = ran.section(event.root)
        assert section.get("pages_read", 0) == 0 and section.get("pages_parsed", 0) == 0, section


def test_a_config_error_is_shown_on_its_status_page_and_the_other_event_published(opt_in, job, wiki_api, alice):
    good = opt_in("Good")
    bad = opt_in("Typo", overview=None, overveiw="/Overview")  # an organiser's typo
    text = wiki_api.text(bad.root) or ""
    problems = read_wiki_config(bad.root, text, SiteConfig("testwiki", "en")).problems
    assert [(p.key, p.line) for p in problems] == [("overveiw", text.splitlines().index("| overveiw = /Overview") + 1)]
    line = problems[0].line
    mark = wiki_api.mark()
    ran = job()
    assert ran.code == 0, ran.why()  # the job's health: an organiser's typo fails its event, not the job
    assert ran.report["events_failed"] == [f"page:{bad.root}"], ran.why()
    published(wiki_api, good)
    status = wiki_api.text(bad.status) or ""
    assert same_line(status, f"line {line}", "overveiw"), status
    assert set(wiki_api.bot_edits_since(mark)) == set(good.written) | {bad.status}
    for page in ("Overview", "Navigation", "Data.json"):
        assert wiki_api.text(bad.title(page)) is None
    assert ran.section(bad.root).get("exit") == 2
    # the organisers see it in the box on the root page, fix it, and the next run publishes
    assert f"line {line}" in wiki_api.rendered(bad.root)
    alice.edit(bad.root, text.replace("| overveiw =", "| overview ="), "typo")
    fixed = job()
    assert fixed.code == 0, fixed.why()
    published(wiki_api, bad)
    status = wiki_api.text(bad.status) or ""
    assert "'''done'''" in status and "overveiw" not in status


def test_a_target_outside_the_subtree_is_refused_and_shown(opt_in, job, wiki_api):
    """A config naming a page outside its root's subtree is not acted on at all."""
    elsewhere = f"Runall elsewhere {secrets.token_hex(3)}/Overview"
    event = opt_in("Outside", overview=elsewhere)
    text = wiki_api.text(event.root) or ""
    line = text.splitlines().index(f"| overview = {elsewhere}") + 1
    mark = wiki_api.mark()
    ran = job()
    assert ran.code == 0 and ran.section(event.root).get("exit") == 2, ran.why()  # its config's problem, not the job's
    assert wiki_api.text(elsewhere) is None
    status = wiki_api.text(event.status) or ""
    assert same_line(status, f"line {line}", "overview"), status
    assert wiki_api.bot_edits_since(mark) == [event.status]  # not acted on: nothing else written


def test_removing_the_template_stops_the_edits_and_leaves_the_pages(opt_in, job, wiki_api, alice):
    kept, removed = opt_in("Kept"), opt_in("Removed")
    assert job().code == 0
    pages = removed.written
    texts = {t: wiki_api.text(t) for t in pages}
    before = wiki_api.revisions(pages)
    alice.edit(removed.root, "This event is over; the bot no longer keeps its pages.", "take the bot off")
    for event in (kept, removed):  # a change the bot would publish, were the event served
        day2 = event.title("Day 2")
        alice.edit(day2, (wiki_api.text(day2) or "").replace("The Way Forward ==", "The Way Onward =="), "rename")
    mark = wiki_api.mark()
    ran = job()
    assert ran.code == 0, ran.why()
    assert removed.root not in ran.served()
    edits = wiki_api.bot_edits_since(mark)
    assert not [t for t in edits if t == removed.root or t.startswith(removed.root + "/")], edits
    assert wiki_api.revisions(pages) == before
    assert {t: wiki_api.text(t) for t in pages} == texts
    assert "The Way Onward" in (wiki_api.text(kept.title("Overview")) or "")  # the other one still served


def test_a_template_on_a_user_page_writes_only_below_that_page(opt_in, job, wiki_api, alice):
    event = opt_in("Event", editor=alice, under="User:Alice", data=None)
    mark = wiki_api.mark()
    ran = job()
    assert ran.code == 0, ran.why()
    edits = wiki_api.bot_edits_since(mark)
    assert sorted(edits) == sorted(event.title(page) for page in ("Overview", "Navigation", "Bot status"))
    assert all(t.startswith(event.root + "/") for t in edits)
    assert (wiki_api.text(event.title("Overview")) or "").count("{{Event track session") == SESSIONS


def test_a_data_page_below_a_users_page_is_a_problem_of_the_config(opt_in, job, wiki_api, alice):
    """MediaWiki lets only Alice (and interface admins) edit User:Alice/.../Data.json: the
    config's `data` is shown as a problem with its line, not a save the wiki refuses every run."""
    event = opt_in("Json", editor=alice, under="User:Alice")
    line = (wiki_api.text(event.root) or "").splitlines().index("| data = /Data.json") + 1
    ran = job()
    status = wiki_api.text(event.status) or ""
    assert same_line(status, f"line {line}", "data"), (status, ran.why())
    assert ran.code == 0 and ran.section(event.root)["exit"] == 2 and not ran.section(event.root)["skipped"], ran.why()


def test_a_person_editing_the_config_is_picked_up_by_the_next_run(opt_in, job, wiki_api, alice, admin):
    event = opt_in("Edited", data=None)
    assert job().code == 0
    assert wiki_api.text(event.title("Data.json")) is None
    # alice adds a target
    text = wiki_api.text(event.root) or ""
    alice.edit(event.root, text.replace("| navbox = /Navigation", "| navbox = /Navigation\n| data = /Data.json"),
               "the data page too")
    mark = wiki_api.mark()
    ran = job()
    assert ran.code == 0, ran.why()
    # the data page, and the status page saying so
    assert wiki_api.bot_edits_since(mark) == [event.title("Data.json"), event.status]
    assert len(json.loads(wiki_api.text(event.title("Data.json")) or "{}")["data"]["sessions"]) == SESSIONS
    # alice renames a day: the page moved, the config says the new name
    renamed = event.title("Day 2 (Saturday)")
    admin.move(event.title("Day 2"), renamed)
    text = wiki_api.text(event.root) or ""
    alice.edit(event.root, text.replace("Day 1, Day 2, Day 3", "Day 1, Day 2 (Saturday), Day 3"), "day renamed")
    ran = job()
    assert ran.code == 0, ran.why()
    overview = wiki_api.text(event.title("Overview")) or ""
    assert f"|page={renamed}\n" in overview and f"|page={event.title('Day 2')}\n" not in overview
    data = json.loads(wiki_api.text(event.title("Data.json")) or "{}")["data"]
    assert [day["page"] for day in data["days"]] == [event.title("Day 1"), renamed, event.title("Day 3")]
    assert job().code == 0  # and then nothing more to do


@pytest.fixture(scope="module")
def fresh_wiki(tmp_path_factory):
    """A new, empty wiki of its own, and the bot's machine for it: a PYWIKIBOT_DIR (family,
    user-config.py, user-password.py) and a home, nothing else (for this module's two tests
    of a first hour)."""
    import testwiki

    tmp_path = tmp_path_factory.mktemp("fresh")
    pwb_dir, home = tmp_path / "pywikibot", tmp_path / "home"
    home.mkdir()
    with testwiki.TestWiki(tmp_path / "wiki", extra_settings="$wgRateLimits = [];\n") as fresh:
        fresh.write_pywikibot_dir(pwb_dir)
        yield fresh, pwb_dir, home


def test_templates_sync_needs_nothing_but_pywikibots_config(fresh_wiki):
    """The operator's first step on a wiki with nothing configured for it but pywikibot:
    `--source site templates sync` installs {{Event track bot}} there."""
    fresh, pwb_dir, home = fresh_wiki
    synced = bot(["--source", "site", "templates", "sync"], pwb_dir, home)
    assert synced.returncode == 0, synced.stderr[-1500:]
    assert fresh.admin_session().page_text(f"Template:{TEMPLATE}") is not None


def test_an_organisers_first_hour_on_an_empty_wiki(fresh_wiki):
    """A new wiki: the operator installs the templates and schedules the job, configuring
    nothing for it but pywikibot; an organiser writes the event's pages and places the
    template; the next run publishes the event, and the one after has nothing to do."""
    fresh, pwb_dir, home = fresh_wiki
    synced = bot(["--source", "site", "templates", "sync"], pwb_dir, home)  # nothing configured but pywikibot
    assert synced.returncode == 0, synced.stderr[-1500:]
    api = fresh.admin_session()
    assert api.page_text(f"Template:{TEMPLATE}") is not None
    idle = run_all(pwb_dir, home)  # the scheduled job, before any event opts in
    assert idle.code == 0 and idle.report["events_found"] == 0, idle.why()
    password = secrets.token_hex(12)
    fresh.make_user("Organiser", password)
    organiser = fresh.session("Organiser", password)
    root = "Wikimedia Summit 2027/Documentation"
    for page, text in MANYEVENTS._snapshot_texts().items():
        organiser.edit(f"{root}/{page}", MANYEVENTS._renamed(text, root), "the day's notes")
    organiser.edit(root, root_text(config_call(**{**PARAMETERS, "name": "Wikimedia Summit 2027"})),
                   "let the bot keep the overview")
    ran = run_all(pwb_dir, home)
    assert ran.code == 0, ran.why()
    event = OnWikiEvent(root, "Wikimedia Summit 2027", organiser)
    wiki = Wiki(api, fresh.bot_user)
    published(wiki, event)
    assert "'''done'''" in (wiki.text(event.status) or "")
    shown = wiki.rendered(root)  # the box on the root page, with the status in it
    assert "Wikimedia Summit 2027" in shown and "done" in shown and "has not reported" not in shown
    mark = wiki.mark()
    again = run_all(pwb_dir, home)
    assert again.code == 0 and again.report["edited"] == 0, again.why()
    assert wiki.bot_edits_since(mark) == []
    assert list((home / ".local" / "share").rglob("*.db")), "the default state database, in the job's home"


def test_an_event_failing_three_runs_in_a_row_is_paused_until_its_config_is_edited(opt_in, job, wiki_api, alice):
    """Isolation: an event whose Day pages are missing fails every run, the others go on; after
    three failed runs it is paused (its status page says so and how to resume), and an edit of
    its config brings it back."""
    good = opt_in("Steady")
    failing = opt_in("Missing", days="Day 7, Day 8")  # no such pages
    runs = [job() for _ in range(3)]
    assert all(r.code == 0 and r.section(failing.root)["exit"] == 2 for r in runs), [r.why() for r in runs]
    published(wiki_api, good)
    for page in ("Overview", "Navigation", "Data.json"):
        assert wiki_api.text(failing.title(page)) is None
    status = wiki_api.text(failing.status) or ""
    assert "paused" in status and "edit" in status, status
    mark = wiki_api.mark()
    paused = job()
    assert wiki_api.bot_edits_since(mark) == []  # skipped, not retried every hour
    section = paused.section(failing.root)
    assert section.get("pages_read", 0) == 0 and section.get("edited", []) == [], section
    text = wiki_api.text(failing.root) or ""
    alice.edit(failing.root, text.replace("Day 7, Day 8", "Day 1, Day 2, Day 3"), "the right days")
    resumed = job()
    assert resumed.code == 0, resumed.why()
    published(wiki_api, failing)
    assert "paused" not in (wiki_api.text(failing.status) or "")


def test_the_operators_allowlist_decides_which_pages_may_opt_in(opt_in, job, wiki_api, admin, tmp_path):
    """The job file's allowlist page: a root not on it is never written to, not even its status."""
    allowed, other = opt_in("Listed"), opt_in("Unlisted")
    listing = f"User:WmBot/Allowed {secrets.token_hex(3)}"
    admin.edit(listing, f"Pages that may opt in:\n* [[{allowed.root}]]\n", "allowlist")
    job_file = tmp_path / "job.toml"
    job_file.write_text(f'[job]\nallowlist = "{listing}"\n', "utf-8")
    mark = wiki_api.mark()
    ran = job("--job", str(job_file))
    assert ran.code == 0, ran.why()
    published(wiki_api, allowed)
    assert sorted(wiki_api.bot_edits_since(mark)) == sorted(allowed.written)
    assert other.root in json.dumps(ran.report)  # a note for the operator
    assert other.root not in ran.served()


def test_a_page_two_nested_events_name_is_the_first_writer_s(opt_in, job, wiki_api):
    """Rewritten on purpose (issue 20): it was "the inner event's", which let any editor take an
    event's page by nesting an event of their own. Now a page is the event's that wrote it first
    (tests/live/test_live_ownership.py has the attacks): the inner event published its overview,
    so the enclosing event that names it later is refused it, the reason naming the owner, and
    the rest of the enclosing event is served."""
    outer = opt_in("Outer")
    inner = opt_in("Inner", under=outer.root, navbox="/Inner navigation")
    first = job()
    assert first.code == 0 and first.section(inner.root)["exit"] == 0, first.why()
    shared = inner.title("Overview")
    published_text = wiki_api.text(shared)
    outer.set_config(overview="/" + shared.removeprefix(outer.root + "/"))
    mark = wiki_api.mark()
    ran = job()
    assert ran.code == 0, ran.why()  # an event's refusal is on its status page, not the job's exit
    edits = wiki_api.bot_edits_since(mark)
    assert shared not in edits and wiki_api.text(shared) == published_text, edits
    assert f"|page={inner.title('Day 1')}\n" in (wiki_api.text(shared) or "")  # the inner event's overview
    refused = ran.section(outer.root)["refused"]
    assert [r["title"] for r in refused] == [shared], refused
    assert f"owned by the event on [[{inner.root}]]" in refused[0]["reason"], refused
    assert inner.root in (wiki_api.text(outer.status) or "")
