"""Ownership of generated pages under `run --all` on the real test wiki (issue 20, finding 1): a
page is the event's that wrote it first. An editor who places {{Event track bot}} on a page nested
below a real event's root, on a page enclosing it, or on the root a local config serves, naming the
real event's navbox, signup page or overview as their own, is refused that page; the refusal names
the owner in the report and on the newcomer's status page, every run. A hand-over is the job
file's [handover] line.

Every run is the installed `wmstrategybot` in a subprocess (test_live_runall.py's harness); what
it did is read back from the wiki through the API.
"""

from __future__ import annotations

import secrets

import pytest
from test_live_runall import (  # the harness of `run --all` on the test wiki
    MANYEVENTS,
    PARAMETERS,
    OnWikiEvent,
    config_call,
    job,  # noqa: F401  (a fixture)
    opt_in,  # noqa: F401  (a fixture)
    root_text,
    snapshot_texts,  # noqa: F401  (a fixture)
    wiki_api,  # noqa: F401  (a fixture)
)

from wmstrategybot.config.wiki import status_page_for

EVIL = "FREE PRIZES at evil example"
DAY = "== D1.01 / Opening ==\nIntro.\n=== 01 . Welcome ===\nText.\n"
#: the session a hostile editor adds to their copy of the real event's last Day page
EXTRA = "\n== D3.99 / Free crypto ==\nClaim it at evil example.\n=== 01 . Claim ===\nText.\n"
#: kind -> the real event's page of that kind, relative to its root (below /Hub)
KINDS = {"navbox": "Hub/Navigation", "signups": "Hub/Signups", "overview": "Hub/Overview"}


@pytest.fixture
def newcomer(alice, admin, snapshot_texts):  # noqa: F811
    """`newcomer(root, before="", days=None, **params)`: Alice (any editor) places the template on
    `root` (after the text `before`). With `days` None she copies the real event's Day pages
    below her root and adds a session of her own (so that nothing would shrink: the lost-session
    guard does not stop her); else her config reads those Day pages. Taken off when the test ends."""
    made: list[str] = []

    def place(root: str, before: str = "", days: str | None = None, **params: str) -> None:
        if days is None:
            days = PARAMETERS["days"]
            for day in MANYEVENTS.DAYS:
                text = MANYEVENTS._renamed(snapshot_texts[day], root)
                alice.edit(f"{root}/{day}", text + (EXTRA if day == MANYEVENTS.DAYS[-1] else ""), "my event")
        alice.edit(root, before + root_text(config_call(name=EVIL, days=days, **params)), "my event")
        made.append(root)

    yield place
    for root in made:
        admin.edit(root, "No longer served (test over).", "test over")


def own(kind: str, page: str) -> dict[str, str]:
    """The newcomer's parameters naming `page` as its `kind` page (and an overview of its own)."""
    return {**({"overview": "/Evil overview"} if kind != "overview" else {}), kind: page}


def refusal(ran, root: str, page: str) -> str:
    section = ran.section(root)
    reasons = [r["reason"] for r in section.get("refused", []) if r["title"] == page]
    assert reasons, ran.why()
    return reasons[0]


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("where", ["nested below", "enclosing"])
def test_a_newcomer_cannot_take_a_page_the_real_event_wrote(opt_in, job, wiki_api, newcomer, kind, where):
    parent = f"Ownership {secrets.token_hex(3)}"
    real = opt_in("Real", under=parent, **{kind: "/" + KINDS[kind]})
    page = real.title(KINDS[kind])
    first = job()
    assert first.code == 0 and first.section(real.root).get("exit") == 0, first.why()
    before = wiki_api.text(page)
    assert before and real.name in before, before
    if where == "nested below":  # the newcomer's root holds the real page in its subtree
        root = real.title("Hub")
        newcomer(root, **own(kind, "/" + KINDS[kind].split("/", 1)[1]))
    else:  # the newcomer's root encloses the real event's
        root = parent
        newcomer(root, **own(kind, page.removeprefix(parent)))
    mark = wiki_api.mark()
    ran = job()
    assert ran.code == 0, ran.why()
    assert wiki_api.text(page) == before and page not in wiki_api.bot_edits_since(mark)
    assert f"[[{real.root}]]" in refusal(ran, root, page) and "owned by" in refusal(ran, root, page)
    status = wiki_api.text(status_page_for(root)) or ""
    assert real.root in status and page in status, status
    # the real event is served again (an edit to its config) and keeps its page
    real.set_config(**{kind: "/" + KINDS[kind]}, summary="Summary ")
    again = job()
    assert again.code == 0, again.why()
    assert again.section(real.root).get("refused", []) == [], again.why()
    assert EVIL not in (wiki_api.text(page) or "")
    # the newcomer, unchanged, is told again: every run, not only the first
    assert "owned by" in refusal(again, root, page) and again.section(root)["exit"] == 4


def local_config(tmp_path, root: str, kind: str, page: str) -> str:
    """A job file serving a local TOML config on `root` whose `kind` page is `page`; its path."""
    table = {"overview": "summary", "navbox": "navbox", "signups": "signups"}[kind]
    days = ", ".join(f'"{d}"' for d in MANYEVENTS.DAYS)
    (tmp_path / "local.toml").write_text(f'[event]\nid = "local"\nname = "Local summit"\nroot = "{root}"\n'
                                         f'days = [{days}]\n[targets]\n{table} = "{page}"\n', "utf-8")
    (tmp_path / "job.toml").write_text('[job]\nconfigs = ["local.toml"]\n', "utf-8")
    return str(tmp_path / "job.toml")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_on_wiki_event_on_a_local_config_s_root_cannot_take_its_pages(job, wiki_api, admin, newcomer,
                                                                          tmp_path, kind, snapshot_texts):  # noqa: F811
    root = f"Ownership local {secrets.token_hex(3)}"
    for day in MANYEVENTS.DAYS:
        admin.edit(f"{root}/{day}", MANYEVENTS._renamed(snapshot_texts[day], root), "the local event's days")
    page = f"{root}/{KINDS[kind]}"
    job_file = local_config(tmp_path, root, kind, page)
    first = job("--job", job_file)
    assert first.code == 0, first.why()
    before = wiki_api.text(page)
    assert before and "Local summit" in before, before
    # on the very root the local config serves, reading its Day pages under another name
    newcomer(root, days=", ".join(MANYEVENTS.DAYS), **own(kind, "/" + KINDS[kind]))
    ran = job("--job", job_file)
    assert ran.code == 0, ran.why()
    assert wiki_api.text(page) == before
    assert "owned by the bot operator's local config 'local'" in refusal(ran, root, page)
    assert "local config" in (wiki_api.text(status_page_for(root)) or "")


def test_a_root_placed_on_a_page_a_local_config_serves_takes_nothing(job, wiki_api, admin, newcomer, tmp_path):
    """The template placed on the local config's working-groups page (a page it writes), naming
    the sign-up page below it as the newcomer's own."""
    root = f"Ownership local {secrets.token_hex(3)}"
    admin.edit(f"{root}/Day 1", DAY, "the local event's day")
    hub, page = f"{root}/Working groups", f"{root}/Working groups/Sign-up"
    (tmp_path / "local.toml").write_text(f'[event]\nid = "local"\nname = "Local summit"\nroot = "{root}"\n'
                                         f'days = ["Day 1"]\n[targets]\nsummary = "{hub}"\nsignups = "{page}"\n')
    (tmp_path / "job.toml").write_text('[job]\nconfigs = ["local.toml"]\n', "utf-8")
    job_file = str(tmp_path / "job.toml")
    assert job("--job", job_file).code == 0
    before = wiki_api.text(page)
    assert before and "Local summit" in before
    newcomer(hub, before=(wiki_api.text(hub) or "") + "\n", overview="/Evil", signups="/Sign-up")
    ran = job("--job", job_file)
    assert ran.code == 0, ran.why()
    assert wiki_api.text(page) == before
    assert "owned by the bot operator's local config 'local'" in refusal(ran, hub, page)


def test_a_hand_over_in_the_job_file_gives_the_page_to_the_new_owner(opt_in, job, wiki_api, admin, tmp_path,
                                                                      snapshot_texts):  # noqa: F811
    """The real event's navbox handed to an event nested in it that serves the same sessions (an
    event reorganised under a new root), by the job file's [handover] line."""
    parent = f"Ownership {secrets.token_hex(3)}"
    real = opt_in("Real", under=parent, navbox="/Hub/Navigation")
    page = real.title("Hub/Navigation")
    assert job().code == 0
    successor = OnWikiEvent(real.title("Hub"), "The successor event", admin)
    for day in (*MANYEVENTS.DAYS, MANYEVENTS.SUMMARY):
        admin.edit(successor.title(day), MANYEVENTS._renamed(snapshot_texts[day], successor.root), "its pages")
    try:
        successor.set_config()  # its navbox: /Navigation, the real event's page
        refused = job()
        assert "owned by" in refusal(refused, successor.root, page)
        job_file = tmp_path / "job.toml"
        job_file.write_text(f'[handover]\n"{page}" = "{successor.root}"\n', "utf-8")
        mark = wiki_api.mark()
        ran = job("--job", str(job_file))
        assert ran.code == 0, ran.why()
        assert any("handed over" in n for n in ran.report["notes"]), ran.why()
        assert ran.section(successor.root).get("refused", []) == [], ran.why()
        assert page in wiki_api.bot_edits_since(mark) and successor.name in (wiki_api.text(page) or "")
        # the old owner, still naming it, is refused it from now on, the line gone
        real.set_config(navbox="/Hub/Navigation", summary="Summary ")
        after = job()
        assert f"owned by the event on [[{successor.root}]]" in refusal(after, real.root, page)
        assert successor.name in (wiki_api.text(page) or "")
    finally:
        admin.edit(successor.root, "No longer served (test over).", "test over")
