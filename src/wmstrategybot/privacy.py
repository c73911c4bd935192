"""Credentials kept out of everything the bot and pywikibot log, and log files kept private.

pywikibot logs the parameters of a failed request (``lgpassword``, ``token``), the response
headers (``Set-Cookie``) and tracebacks holding both; with ``log = ['*']`` in user-config.py
they land in a file of mode 0644. ``RedactFilter`` rewrites every record (message, args,
traceback) before any handler formats it; ``guard_pywikibot`` puts it on pywikibot's loggers
and handlers, makes its log files 0600 and, unless ``-vv``, keeps its tracebacks off the
terminal (``-q``: all of its output).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, quote_plus

REDACTED = "<redacted>"

#: a parameter or field whose value is a secret: passwords, any ...token, secrets
_KEY = r"[\w.-]*(?:password|passwd|token|secret)"
#: a key (quoted or not), its separator (= or :, in a query string, a dict repr, JSON or a
#: header line), an optional opening bracket, then the value (quoted, or bare up to a delimiter)
_KEYED = re.compile(
    rf"""(?ix)
    (?P<head>\b{_KEY}(?P<kq>['"]?)\s*(?:=|:)\s*\[?\s*)
    (?:(?P<q>['"])(?P<quoted>(?:\\.|(?!(?P=q)).)*)(?P=q) | (?P<bare>[^\s&,;'"\]\}}\)]+))
    """
)
#: a Cookie or Set-Cookie header: the whole value (every cookie in it)
_COOKIE_HEADER = re.compile(
    r"""(?ix)
    (?P<head>\b(?:set-)?cookie2?['"]?\s*(?:=|:)\s*)
    (?:(?P<q>['"])(?P<quoted>(?:\\.|(?!(?P=q)).)*)(?P=q) | (?P<bare>[^\n]+))
    """
)
#: a cookie as name=value wherever it stands (a cookie jar's repr, a header pywikibot reformats)
_COOKIE = re.compile(r"(?i)(?P<head>\b[\w.-]*(?:session|sessid|token)=)(?P<bare>[^;\s,'\"&<>]+)")
#: a MediaWiki token by its shape (hex, then "+\"), raw, URL-encoded or escaped in a repr
_TOKEN = re.compile(r"(?i)[0-9a-f]{16,}(?:\+|%2B)(?:\\|%5C)+")

_secrets: set[str] = set()


def add_secret(value: str | None) -> None:
    """Redact this literal (a password) wherever it appears, in its encoded forms too."""
    if not value or len(value) < 4:
        return
    _secrets.update({value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1],
                     repr(value)[1:-1]})


def _live_secrets() -> Iterable[str]:
    """The current cookie values of pywikibot's session (once it is loaded): they change at login."""
    http = sys.modules.get("pywikibot.comms.http")
    jar = getattr(http, "cookie_jar", None)
    if jar is None:
        return ()
    try:
        return [c.value for c in list(jar) if c.value and len(c.value) >= 16]
    except Exception:  # a jar being changed by another thread: the patterns still apply
        return ()


def _keyed(match: re.Match[str]) -> str:
    if match.groupdict().get("q"):
        return f"{match.group('head')}{match.group('q')}{REDACTED}{match.group('q')}"
    return f"{match.group('head')}{REDACTED}"


def redact(text: str) -> str:
    """`text` with passwords, tokens and cookie values replaced by <redacted>."""
    if not text:
        return text
    for secret in sorted({*_secrets, *_live_secrets()}, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _COOKIE_HEADER.sub(_keyed, text)
    text = _KEYED.sub(_keyed, text)
    text = _COOKIE.sub(_keyed, text)
    return _TOKEN.sub(REDACTED, text)


class RedactFilter(logging.Filter):
    """Redacts a record in place (message with its args, traceback, stack) before it is formatted."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep its parts
            message = f"{record.msg} {record.args!r}"
        message = redact(message)
        if record.name == "py.warnings":
            record.msg, record.args = "%s", (message,)  # pywikibot's file formatter expects one arg
        else:
            record.msg, record.args = message, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class _Terminal(logging.Formatter):
    """pywikibot's terminal output: all of it at -vv; below, one line for a traceback, none of
    its frames; nothing at -q (see `guard_logging`)."""

    def __init__(self, inner: logging.Formatter | None):
        super().__init__()
        self.inner = inner or logging.Formatter("%(message)s")

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if _verbosity < 2 and ("Traceback (most recent call last)" in message or record.exc_info or record.exc_text):
            lines = [x for x in message.splitlines() if x.strip() and not x.startswith((" ", "Traceback"))]
            newline = getattr(record, "newline", "\n")
            return (lines[-1] if lines else message.splitlines()[0] if message else "") + newline
        return self.inner.format(record)


class _Quiet(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return _verbosity >= 0


_REDACT = RedactFilter()
_QUIET = _Quiet()
_verbosity = 0


def guard_logging(verbosity: int) -> None:
    """Redact what our own handlers print; remember how much of pywikibot's output to show."""
    global _verbosity
    _verbosity = verbosity
    for handler in logging.getLogger().handlers:
        if _REDACT not in handler.filters:
            handler.addFilter(_REDACT)


def guard_pywikibot() -> None:
    """Set up pywikibot's logging now (not at its first message) with redaction and private files.

    Call after importing pywikibot and before it talks to a wiki. Its handlers are made once
    per process (a later call returns early), so the filters stay on them.
    """
    from pywikibot import bot  # noqa: PLC0415 - only with a site source

    old = os.umask(0o077)  # its log file and folder, when it creates them now
    try:
        bot.init_handlers()
    finally:
        os.umask(old)
    root = logging.getLogger()
    loggers = [root, logging.getLogger("pywiki"), logging.getLogger("py.warnings")]
    loggers += [logging.getLogger(name) for name in list(logging.Logger.manager.loggerDict)
                if name.startswith("pywiki.")]
    for logger in loggers:
        if _REDACT not in logger.filters:
            logger.addFilter(_REDACT)
        for handler in logger.handlers:
            if _REDACT not in handler.filters:
                handler.addFilter(_REDACT)
            if isinstance(handler, logging.FileHandler):
                _private_file_handler(handler)
            elif isinstance(handler, logging.StreamHandler) and logger is not root:
                if _QUIET not in handler.filters:
                    handler.addFilter(_QUIET)
                if not isinstance(handler.formatter, _Terminal):
                    handler.setFormatter(_Terminal(handler.formatter))


def _private_file_handler(handler: logging.FileHandler) -> None:
    """Mode 0600 for the handler's file, its rotated copies and every file it opens later."""
    base = Path(handler.baseFilename)
    for path in base.parent.glob(base.stem + "*"):
        if path.is_file() and path.stat().st_uid == os.getuid():
            path.chmod(0o600)

    def _open():  # type: ignore[no-untyped-def]
        fd = os.open(handler.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchmod(fd, 0o600)
        return open(fd, "a", encoding=handler.encoding, errors=handler.errors)  # noqa: SIM115

    handler._open = _open  # type: ignore[method-assign]


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (0600), replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with open(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
