"""The bot's account as pywikibot sees it: logging in (once, again when the wiki lost the
session), a missing password file said plainly, no prompt on a terminal that is not there, and
pywikibot's own simulate switch."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

from wmstrategybot.errors import LoginFailed, SourceError

_CHECK_PASSWORD = ("check the account and BotPassword in the password file (user-config.py: usernames, "
                   "password_file; see user-config.py.example)")


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


class SiteAccount:
    """Logging in and tokens, for a source holding a pywikibot ``APISite`` as ``self.site``."""

    site: Any

    def login(self) -> None:
        """Log in with the user's pywikibot configuration; `LoginFailed` (one line saying what
        to do) when it has no account or password, or the wiki refuses them. Never a prompt
        when stdin is not a terminal (a scheduled run would wait, or read EOF)."""
        if self.site.logged_in():
            return
        site = self.site
        if not site.username():
            raise LoginFailed(f"{site}: login failed: no account for {site.family.name}:{site.code}; add "
                              f"usernames[{site.family.name!r}][{site.code!r}] = 'BotName' to user-config.py")
        with no_prompt():
            try:
                site.login()
            except Exception as exc:
                if isinstance(exc, PromptRefused):
                    why = password_problem() or f"pywikibot asks '{exc!s}' and stdin is not a terminal; {_CHECK_PASSWORD}"
                else:
                    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                    why = password_problem() or f"{first}; {_CHECK_PASSWORD}"
                raise LoginFailed(f"{site}: login failed as {site.username()}: {why}") from None
        if not self.site.logged_in():
            raise LoginFailed(f"{self.site}: login failed as {self.site.username()}: {_CHECK_PASSWORD}")

    def _token(self, kind: str) -> str:
        """A token of the logged-in session; if the wiki lost that session, log in again once."""
        for attempt in (1, 2):
            try:
                return str(self.site.tokens[kind])
            except KeyError:  # pywikibot: "Invalid token", the wiki answered as to a logged-out user
                if attempt == 2:
                    break
                self._forget_login()
                self.login()
            except Exception as exc:
                raise SourceError(f"{self.site}: no {kind} token: {str(exc).splitlines()[0] if str(exc) else exc!r}") from None
        raise SourceError(f"{self.site}: the wiki lost the bot's session and gave no {kind} token after logging in again")

    def _forget_login(self) -> None:
        """Make pywikibot log in afresh: the wiki no longer knows the session it holds."""
        from pywikibot.login import LoginStatus

        self.site.tokens.clear()
        try:
            del self.site.userinfo
        except AttributeError:
            pass
        self.site._loginstatus = LoginStatus.NOT_LOGGED_IN

    @property
    def user(self) -> str | None:
        return self.site.username()
