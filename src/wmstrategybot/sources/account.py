"""The bot's account as pywikibot sees it: a missing password file said plainly, no prompt on a
terminal that is not there, and pywikibot's own simulate switch."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any


def password_problem() -> str | None:
    """What is wrong with the password file pywikibot logs in with, or None (OAuth, set in
    `authenticate`, needs none; a login cookie may do without one: asked only after a failure)."""
    from pywikibot import config as pwb_config

    if any(getattr(pwb_config, "authenticate", {}) or {}):
        return None
    path = getattr(pwb_config, "password_file", None)
    if not path:
        return "no password_file in user-config.py; add password_file = 'user-password.py' and put the BotPassword there"
    full = os.path.join(pwb_config.base_dir, path)
    if not os.path.isfile(full) and not os.path.isfile(path):
        return (f"the password file {os.path.basename(full)} is missing from {os.path.dirname(full) or '.'}; "
                "create it with the BotPassword from Special:BotPasswords (see user-config.py.example)")
    return None


class PromptRefused(Exception):
    pass


@contextlib.contextmanager
def no_prompt() -> Iterator[None]:
    """pywikibot asks for a missing password (or a 2FA token) on the terminal: when stdin is not
    one, that question becomes an error instead of a wait or an EOFError."""
    import pywikibot

    if sys.stdin is not None and sys.stdin.isatty():
        yield
        return

    def refuse(question: str, *args: Any, **kwargs: Any) -> str:
        raise PromptRefused(question.splitlines()[0] if question else "a question")

    saved = pywikibot.input
    pywikibot.input = refuse
    try:
        yield
    finally:
        pywikibot.input = saved


def simulating() -> bool:
    """pywikibot's own ``simulate`` (user-config.py or -simulate): it blocks every write."""
    from pywikibot import config as pwb_config

    return bool(getattr(pwb_config, "simulate", False))
