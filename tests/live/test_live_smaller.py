"""The smaller findings of issue #20, against the real wiki: a deleted template, an unknown
namespace, a missing allowlist, a page the bot may never save."""

from __future__ import annotations

import pytest
from live import Event

from wmstrategybot.publish.apply import apply
from wmstrategybot.publish.templates import plan_templates

pytestmark = pytest.mark.wiki


def test_templates_sync_never_recreates_a_template_an_administrator_deleted(wiki, admin, pwb, tmp_path):
    ev = Event(wiki, admin, pwb)
    title = f"Template:Small20 {tmp_path.name}"
    folder = tmp_path / "templates"
    (folder / "Template").mkdir(parents=True)
    (folder / "Template" / f"{title.split(':', 1)[1]}.wikitext").write_text("A template.\n", "utf-8")
    src = ev.source()
    first = apply(plan_templates(ev.config, src, folder), src, ev.config)
    assert [o.action for o in first.outcomes] == ["created"]
    admin.delete(title, "not wanted here")
    src = ev.source()
    again = plan_templates(ev.config, src, folder)
    (edit,) = again.edits
    assert edit.action == "refused" and "deleted by" in edit.reason and "not recreated" in edit.reason
    result = apply(again, src, ev.config)
    assert admin.latest_revid(title) is None
    assert result.count("refused") == 1


# ---------------------------------------------------------------- `run --all`'s job file on the wiki
# (the fixtures and helpers of test_live_runall: events under roots of their own, a job run as cron
# starts it)

from test_live_runall import job, opt_in, same_line, snapshot_texts, wiki_api  # noqa: E402,F401


def _job_file(tmp_path, **keys: object) -> str:
    path = tmp_path / "job.toml"
    lines = [f"{k} = {v!r}" if isinstance(v, str) else f"{k} = {v}" for k, v in keys.items()]
    path.write_text("[job]\n" + "\n".join(lines).replace("'", '"') + "\n", "utf-8")
    return str(path)


def test_a_namespace_the_wiki_does_not_have_is_an_error_and_the_state_is_kept(opt_in, job, wiki_api, tmp_path):
    event = opt_in("Namespaces")
    assert job("--job", _job_file(tmp_path, removal_grace_days=0)).code == 0
    mark = wiki_api.mark()
    ran = job("--job", _job_file(tmp_path, namespaces=[0, 1000], removal_grace_days=0))
    assert ran.code == 2, ran.why()
    lines = [line for line in ran.stderr.splitlines() if "error" in line]  # beside the progress lines
    assert len(lines) == 1 and "1000" in lines[0] and "namespaces" in lines[0], ran.stderr
    assert "Traceback" not in ran.stderr
    assert "1000" in ran.report["error"] and not ran.report.get("removed")
    assert wiki_api.bot_edits_since(mark) == []
    again = job("--job", _job_file(tmp_path, removal_grace_days=0))  # the state of the event is still there
    assert again.code == 0 and again.section(event.root)["outcome"] == "nothing-changed", again.why()


@pytest.mark.parametrize("listing", ["deleted", "empty"])
def test_a_deleted_or_empty_allowlist_is_an_error_naming_it(opt_in, job, wiki_api, admin, tmp_path, listing):
    event = opt_in("Allowed")
    page = f"User:WmBot/Allowed {tmp_path.name}"
    admin.edit(page, f"Pages that may opt in:\n* [[{event.root}]]\n", "allowlist")
    job_file = _job_file(tmp_path, allowlist=page, removal_grace_days=0)
    assert job("--job", job_file).code == 0
    if listing == "deleted":
        admin.delete(page, "spring cleaning")
    else:
        admin.edit(page, "Nobody for now.", "empty")
    mark = wiki_api.mark()
    ran = job("--job", job_file)
    assert ran.code == 2, ran.why()
    lines = [line for line in ran.stderr.splitlines() if "error" in line]  # beside the progress lines
    assert len(lines) == 1 and page in lines[0] and "allowlist" in lines[0], ran.stderr
    assert wiki_api.bot_edits_since(mark) == [] and not ran.report.get("removed"), ran.why()
    admin.edit(page, f"Pages that may opt in:\n* [[{event.root}]]\n", "back")
    again = job("--job", job_file)  # the event's state was kept
    assert again.code == 0 and again.section(event.root)["outcome"] == "nothing-changed", again.why()


@pytest.mark.parametrize("data", ["/Data", "/Data.json", "User:Alice/{root}/Data.json"])
def test_a_data_page_in_a_users_space_is_refused_once_not_skipped_every_run(opt_in, job, wiki_api, alice, data):
    """MediaWiki lets only the user edit a JSON page in their space (customjsonprotected), whatever
    its title: the bot's data page (JSON) there is a problem of the config, shown once."""
    event = opt_in("Json", editor=alice, under="User:Alice", data=None)
    assert job().code == 0
    event.set_config(data=data.replace("User:Alice/{root}", event.root))
    line = next(n for n, text in enumerate((wiki_api.text(event.root) or "").splitlines(), 1)
                if text.startswith("| data ="))
    ran = job()
    section = ran.section(event.root)
    assert ran.code == 0 and section["exit"] == 2 and not section.get("skipped"), ran.why()
    status = wiki_api.text(event.status) or ""
    assert same_line(status, f"line {line}", "data"), status
    assert wiki_api.text(event.title("Data")) is None and wiki_api.text(event.title("Data.json")) is None
    alice.edit(event.title("Day 1"), (wiki_api.text(event.title("Day 1")) or "") + "\nMore words.\n", "edit")
    mark = wiki_api.mark()
    later = job()  # a Day page edited: still refused for the config's reason, no save tried
    assert later.code == 0 and later.section(event.root)["exit"] == 2 and not later.section(event.root).get("skipped"), later.why()
    assert event.title("Data") not in wiki_api.bot_edits_since(mark)


# ---------------------------------------------------------------- a wiki answering what no MediaWiki does

from test_live_faults import FaultyProxy, _pwb_dir  # noqa: E402


@pytest.mark.parametrize("fault", ["shape", "500"])
def test_a_wrong_shaped_or_failing_wiki_is_one_line_naming_its_address(wiki, pwb, tmp_path, fault):
    """The real wiki behind a proxy that answers the discovery request with JSON of another shape,
    or every request with a 500 once the bot has started: one line naming the wiki's address."""
    from live import _cli

    def answer(body: bytes):
        if fault == "shape":
            return b'{"query": [], "batchcomplete": true}' if b"embeddedin" in body else None
        return 500 if b"siteinfo" not in body else None

    with FaultyProxy(wiki.port, answer) as proxy:
        pwb_dir = _pwb_dir(wiki, tmp_path / fault, port=proxy.port, logs=False)
        done = _cli(["-q", "--source", "site", "run", "--all", "--state", str(tmp_path / "job.db")], pwb_dir=pwb_dir)
    assert proxy.faults >= 1
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and f"http://127.0.0.1:{proxy.port}/" in lines[0], done.stderr
    assert "internal error" not in lines[0] and "Traceback" not in done.stderr + done.stdout
