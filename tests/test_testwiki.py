"""The throwaway test wiki itself: BotPassword login, human edits, extensions."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.wiki


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
