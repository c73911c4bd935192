"""Faults a file or a bug can cause, offline: one line, a documented exit code, no traceback, and
a report file that always says how the run ended; credentials redacted from every log record."""

from __future__ import annotations

import json
import logging
import stat

import pytest
from click.testing import CliRunner
from helpers import copy_snapshot, stored_state

from wmstrategybot.cli.main import cli
from wmstrategybot.privacy import REDACTED, RedactFilter, add_secret, redact


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("content", [
    "[]",
    '{"version": 1, "pages": "x"}',
    '{"version": 1, "revisions": "x"}',
    '{"version": 1, "revisions": {"A": 1}, "retry_later": {"at": "soon"}}',
    '{"version": 1, "revisions": {"A": [1]}}',
    '{"version": 1, "revisions": {"A": 1}, "checked": "yesterday", "checked_at": 3}',
    '{"version": 1, "revisions": {"A": 1}, "logs_seen": [], "retry": "A"}',
    "not json",
])
def test_a_state_file_of_the_wrong_shape_counts_as_missing_with_a_note(tmp_path, content):
    wiki = copy_snapshot(tmp_path / "wiki")
    state = tmp_path / "state.json"
    state.write_text(content)
    result = invoke("--source", f"dir:{wiki}", "run", "--state", str(state))
    assert result.exit_code == 0, (result.output, result.exception)
    # the file is migrated into state.db (as missing), kept as state.json.migrated
    report = json.loads((tmp_path / "state.db.report.json").read_text())
    assert report["outcome"] == "done" and report["check"] == "none"
    assert any("treated as missing" in n and str(state) in n for n in report["notes"]), report["notes"]
    assert "treated as missing" in result.stderr and "migrated" in result.stderr
    assert not state.exists() and (tmp_path / "state.json.migrated").read_text() == content
    saved = stored_state(tmp_path / "state.db")
    assert isinstance(saved["revisions"], dict) and saved["revisions"]
    again = invoke("--source", f"dir:{wiki}", "run", "--state", str(state))
    assert again.exit_code == 0 and "treated as missing" not in again.stderr and "migrated" not in again.stderr


def test_the_report_file_is_rewritten_after_a_run_that_fails(tmp_path):
    wiki = copy_snapshot(tmp_path / "wiki")
    state = tmp_path / "state.db"
    report_file = tmp_path / "state.db.report.json"
    assert invoke("--source", f"dir:{wiki}", "run", "--state", str(state)).exit_code == 0
    done = json.loads(report_file.read_text())
    assert done["exit"] == 0 and done["error"] is None and done["time"].endswith("Z")
    for day in (wiki / "Wikimedia Conference 2018").rglob("Day 2.wikitext"):
        day.unlink()
    result = invoke("--source", f"dir:{wiki}", "-q", "run", "--state", str(state))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "day page not found" in result.stderr
    failed = json.loads(report_file.read_text())
    assert failed["exit"] == 2 and failed["outcome"] == "error" and "day page not found" in failed["error"]
    assert failed["time"] >= done["time"]
    assert stat.S_IMODE(report_file.stat().st_mode) == 0o600 and stat.S_IMODE(state.stat().st_mode) == 0o600


def test_an_unexpected_error_is_one_line_to_report_and_exit_2(tmp_path, monkeypatch):
    import wmstrategybot.job.serve as serve_module

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(serve_module, "plan", broken)
    wiki = copy_snapshot(tmp_path / "wiki")
    state = tmp_path / "state.db"
    result = invoke("--source", f"dir:{wiki}", "-q", "run", "--state", str(state))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "wmstrategybot: error: internal error: ZeroDivisionError: division by zero; please report this"]
    report = json.loads((tmp_path / "state.db.report.json").read_text())
    assert report["exit"] == 2 and "internal error: ZeroDivisionError" in report["error"]
    verbose = invoke("--source", f"dir:{wiki}", "-vv", "run", "--state", str(state))
    assert verbose.exit_code == 2 and "Traceback (most recent call last)" in verbose.stderr
    monkeypatch.setattr("wmstrategybot.cli.main.read_event", broken)
    extract = invoke("extract")
    assert extract.exit_code == 2 and "internal error" in extract.stderr and "Traceback" not in extract.output


SECRET = "s3cr3tpassw0rdqwertyuiopasdfghj"
TOKEN = "0123456789abcdef0123456789abcdef+\\"


@pytest.mark.parametrize("line", [
    f"action=login&lgname=Bot%40app&lgpassword={SECRET}&lgtoken=0123456789abcdef0123456789abcdef%2B%5C",
    f"{{'action': 'edit', 'token': ['{TOKEN}'], 'text': 'x'}}",
    f'{{"query": {{"tokens": {{"csrftoken": "{TOKEN}", "logintoken": "{TOKEN}"}}}}}}',
    "{'Set-Cookie': 'wiki_session=0a1b2c3d4e5f60718293a4b5c6d7e8f9; path=/; HttpOnly', 'Date': 'x'}",
    "Cookie: wiki_session=0a1b2c3d4e5f60718293a4b5c6d7e8f9; wikiUserName=WmBot",
    "<Cookie wiki_BPsession=0a1b2c3d4e5f60718293a4b5c6d7e8f9 for 127.0.0.1/>",
    f"the password is {SECRET}, quoted {SECRET!r}",
    "watchtoken=abc&centralauthtoken=def",
])
def test_passwords_tokens_and_cookies_are_redacted(line):
    add_secret(SECRET)
    out = redact(line)
    assert REDACTED in out
    for secret in (SECRET, "0123456789abcdef0123456789abcdef", "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "=abc", "=def"):
        assert secret not in out, out


def test_the_filter_redacts_message_args_and_traceback_before_formatting():
    add_secret(SECRET)
    try:
        raise ValueError(f"login failed with lgpassword={SECRET}")
    except ValueError:
        import sys

        record = logging.LogRecord("pywiki.comms", logging.ERROR, __file__, 1, "request %s: %r", (
            "action=edit", {"token": TOKEN}), sys.exc_info())
    assert RedactFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert SECRET not in formatted and "0123456789abcdef0123456789abcdef" not in formatted
    assert "action=edit" in formatted and "ValueError" in formatted
    warning = logging.LogRecord("py.warnings", logging.WARNING, __file__, 1, "%s", (f"token={TOKEN}",), None)
    RedactFilter().filter(warning)
    assert warning.args == ("token=<redacted>",)  # pywikibot's file formatter wants one arg here


def test_words_that_are_not_secrets_stay():
    text = "Received incorrect login token. Loading cookies for user WmBot failed. meta=tokens&type=csrf"
    assert redact(text) == text


def test_a_log_file_and_its_rotated_copies_are_private(tmp_path):
    """pywikibot's file log (a RotatingFileHandler): 0600 when it is opened again after a
    rotation too, and an older 0644 file is made private."""
    import logging.handlers

    from wmstrategybot.privacy import _private_file_handler

    path = tmp_path / "logs" / "main-bot.log"
    path.parent.mkdir()
    path.write_text("an earlier run\n")
    path.chmod(0o644)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=10, backupCount=2, encoding="utf-8")
    try:
        _private_file_handler(handler)
        record = logging.LogRecord("pywiki", logging.INFO, __file__, 1, "a line longer than ten bytes", (), None)
        for _ in range(3):
            handler.emit(record)
    finally:
        handler.close()
    files = sorted(path.parent.iterdir())
    assert len(files) == 3 and {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}
