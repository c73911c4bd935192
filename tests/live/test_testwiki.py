"""The throwaway test wiki itself: BotPassword login, human edits, extensions."""

from __future__ import annotations

from typing import Any

import pytest


def test_botpassword_login_and_bot_edit(wiki: Any) -> None:
    bot = wiki.session(f"{wiki.bot_user}@{wiki.botpassword_name}", wiki.botpassword)
    info = bot.get(action="query", meta="userinfo", uiprop="rights|groups")["query"]["userinfo"]
    assert info["name"] == wiki.bot_user
    assert "bot" in info["groups"] and "bot" in info["rights"]
    assert "noratelimit" not in info["rights"]  # so `ratelimited` can be tested

    edit = bot.edit("Testwiki/Bot edit", "made by the bot", "test", **{"assert": "bot"})
    assert edit["new"] and wiki.bot_session().latest_revid("Testwiki/Bot edit") == edit["newrevid"]
    data = bot.edit("Testwiki/data.json", '{"sessions": []}', "test", contentmodel="json",
                    **{"assert": "bot"})
    assert data["contentmodel"] == "json"


def test_human_session_edits_and_admin_protects(wiki: Any) -> None:
    wiki.make_user("Alice Tester", "Alice-test-password-1")
    alice = wiki.session("Alice Tester", "Alice-test-password-1")
    alice.edit("Testwiki/Human", "hello from Alice", "hi", **{"assert": "user"})
    assert alice.page_text("Testwiki/Human") == "hello from Alice"

    admin = wiki.session(wiki.admin_user, wiki.admin_password)
    admin.protect("Testwiki/Human")
    with pytest.raises(Exception) as excinfo:
        alice.edit("Testwiki/Human", "again", "hi")
    assert getattr(excinfo.value, "code", None) == "protectedpage"
    admin.delete("Testwiki/Human", "test")
    assert alice.page_text("Testwiki/Human") is None
    assert alice.latest_revid("Testwiki/Human") is None


def test_parserfunctions_scribunto_and_templatedata(wiki: Any) -> None:
    bot = wiki.bot_session()
    bot.edit("Module:Testwiki", 'local p = {}\nfunction p.hi(frame)\n'
             '  return "Hello, " .. frame.args[1] .. "!"\nend\nreturn p\n', "test")
    parsed: dict[str, Any] = bot.post(
        action="parse", title="Testwiki/Parse", contentmodel="wikitext", prop="text",
        text="{{#if: x | IFYES | IFNO }} {{#invoke:Testwiki|hi|World}}")["parse"]
    html = parsed["text"]
    assert "IFYES" in html and "IFNO" not in html
    assert "Hello, World!" in html and "script-error" not in html
    tags = bot.get(action="query", meta="siteinfo", siprop="extensiontags")["query"]
    assert "<templatedata>" in tags["extensiontags"]


def test_make_wiki_prints_what_works_as_printed_and_shows_current_navboxes(wiki: Any, tmp_path) -> None:
    """`testwiki.py serve --load-snapshot --publish` (make wiki): an editor can log in, the printed
    commands run as printed, and the Day pages show the navbox the bot just wrote."""
    import re
    import shlex
    import signal
    import subprocess
    import sys
    from pathlib import Path

    import requests
    import testwiki

    script = Path(testwiki.__file__)
    proc = subprocess.Popen([sys.executable, str(script), "serve", "--load-snapshot", "--publish", "--dir", str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        lines = {}
        for line in proc.stdout:  # type: ignore[union-attr]
            key, _, value = line.partition(":")
            lines[key.strip()] = value.strip()
            if line.startswith("started in") or proc.poll() is not None:
                break
        assert "started in" in "".join(lines), lines
        user, password = re.fullmatch(r"(\S+) / (\S+)\s+\(.*\)", lines["editor login"]).groups()
        api = testwiki.ApiSession(lines["wiki"].split()[0].split("/index.php")[0] + "/api.php")
        api.login(user, password)
        # the job queue ran: the Day pages' links tables know the templates the new navbox uses
        embedded = api.get(action="query", list="embeddedin", eititle="Template:Event track navbox", eilimit=50)
        assert testwiki.SNAPSHOT_DAY in {p["title"] for p in embedded["query"]["embeddedin"]}
        api.edit("Sandbox", "an editor was here", "test", **{"assert": "user"})
        for key in ("run the bot", "job queue"):
            command = lines[key].split("  (")[0]
            if key == "run the bot":  # a full path, e.g. .../.venv/bin/wmstrategybot
                assert shlex.split(command)[1].endswith("/bin/wmstrategybot"), command
            done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, (command, done.stdout, done.stderr)
        day = requests.get(lines["wiki"].split()[0], timeout=60).text
        assert re.search(r'<div class="event-track-navbox-title"[^>]*>\s*<a [^>]*href="[^"]*/Overview"', day), day
        assert 'role="navigation"' in day
        assert "redlink=1" not in day.split('role="navigation"', 1)[1].split("</div>\n</div>", 1)[0]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
