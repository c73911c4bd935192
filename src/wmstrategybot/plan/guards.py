"""The guards every save passes: opt-outs ({{bots}}/{{nobots}}), the stop page, signed rows kept,
and whether a new text changes the page at all. Pure."""

from __future__ import annotations

import json
import re

#: the name {{bots|deny=...}} and edit summaries use for the bot, whatever its account
BOT_NAME = "wmstrategybot"
from wmstrategybot.wikitext.text import mask

_BOTS = re.compile(r"\{\{\s*(nobots|bots)\s*(\|[^{}]*)?\}\}", re.I)


def stop_page_allows(text: str | None) -> bool:
    """A stop page lets the bot run only while its first word is 'run' (or yes/true/on)."""
    if text is None:
        return False
    words = mask(text, regions=False).split()
    return bool(words) and words[0].strip(".:;!").lower() in ("run", "yes", "true", "on")


def bots_allow(text: str, user: str, content_model: str = "wikitext") -> bool:
    """Whether {{bots}}/{{nobots}} on a page let `user` edit it (the convention of en:Template:Bots).

    Only what people wrote counts: the bot's own regions are not read (a {{nobots}} quoted in
    a session's text must not make the bot refuse its own page), nor a JSON page, which
    transcludes nothing.
    """
    if content_model != "wikitext":  # JSON, Lua: no template is called from them
        return True
    user = user.lower()
    for m in _BOTS.finditer(mask(text)):
        name, params = m.group(1).lower(), (m.group(2) or "").lstrip("|")
        args = dict(p.split("=", 1) for p in params.split("|") if "=" in p)
        if name == "nobots":
            if not args:
                return False
            names = {n.strip().lower() for n in args.get("allow", "").split(",")}
            return user in names
        allow = {n.strip().lower() for n in args.get("allow", "").split(",") if n.strip()}
        deny = {n.strip().lower() for n in args.get("deny", "").split(",") if n.strip()}
        if "allow" in args:
            return user in allow or "all" in allow
        if "deny" in args:
            return not (user in deny or "all" in deny)
    return True


def same_text(a: str, b: str, content_model: str = "wikitext") -> bool:
    """Whether saving `a` over `b` would change the page, as MediaWiki saves text.

    A save right-trims the text and turns CRLF into LF; a JSON page is stored re-formatted,
    so two JSON texts are the same when their values are.
    """
    if content_model == "json":
        try:
            return bool(json.loads(a) == json.loads(b))
        except ValueError:
            pass
    return a.replace("\r\n", "\n").rstrip() == b.replace("\r\n", "\n").rstrip()


def bot_names(user: str | None) -> tuple[str, ...]:
    """The names {{bots}}/{{nobots}} may use for this bot: the tool's and the account's."""
    return (BOT_NAME, user) if user else (BOT_NAME,)
