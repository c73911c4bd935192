"""Faults a wiki, the network or a file can cause, on the real test wiki: no credential in any
log, no traceback, one line and a documented exit code, a report that says what happened."""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import re
import stat
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from live import _cli, _write_config

TOKEN_SHAPE = re.compile(r"[0-9a-f]{16,}(?:\+|%2B)(?:\\|%5C)")


class FaultyProxy:
    """An HTTP proxy in front of the wiki that answers some requests with a fault of its own:
    `fault(body)` returns "drop" (close the connection, unanswered), an HTTP status, bytes (a
    JSON answer of its own, status 200), or None."""

    def __init__(self, upstream_port: int, fault):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # noqa: ANN002
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                what = fault(body + self.path.encode())
                if what is not None:
                    proxy.faults += 1
                if what == "drop":
                    self.close_connection = True
                    return
                if isinstance(what, bytes):
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(what)))
                    self.end_headers()
                    self.wfile.write(what)
                    return
                if what is not None:
                    page = b"<html><body>Service Unavailable</body></html>"
                    self.send_response(what)
                    self.send_header("Retry-After", "1")
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(page)))
                    self.end_headers()
                    self.wfile.write(page)
                    return
                conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "host")}
                headers["Host"] = f"127.0.0.1:{upstream_port}"
                conn.request(self.command, self.path, body=body or None, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                conn.close()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _forward

        self.faults = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FaultyProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _drop_login(body: bytes):
    return "drop" if b"lgpassword" in body else None


def _pwb_dir(wiki, tmp_path: Path, port: int | None = None, logs: bool = True) -> Path:
    """A PYWIKIBOT_DIR of the bot's own, as an operator sets it: every log on, to a file."""
    path = wiki.write_pywikibot_dir(tmp_path / "pwb")
    if port is not None:
        family = path / "families" / "testwiki_family.py"
        family.write_text(family.read_text().replace(f"127.0.0.1:{wiki.port}", f"127.0.0.1:{port}"))
    if logs:
        with (path / "user-config.py").open("a") as fh:
            fh.write("log = ['*']\ndebug_log = ['']\n")
    return path


def _cookie_values(pwb: Path) -> set[str]:
    values = set()
    for jar_file in pwb.glob("pywikibot*.lwp"):
        jar = http.cookiejar.LWPCookieJar(str(jar_file))
        jar.load(ignore_discard=True, ignore_expires=True)
        values |= {c.value for c in jar if c.value and len(c.value) >= 16}
    return values


def _csrf_of(wiki, pwb: Path) -> str | None:
    """The csrf token of the session pywikibot kept (its cookie jar), as the wiki gives it."""
    session = requests.Session()
    for jar_file in pwb.glob("pywikibot*.lwp"):
        jar = http.cookiejar.LWPCookieJar(str(jar_file))
        jar.load(ignore_discard=True, ignore_expires=True)
        session.cookies.update(jar)
    data = session.get(wiki.api_url, params={"action": "query", "meta": "tokens", "format": "json"}, timeout=30).json()
    token = data["query"]["tokens"]["csrftoken"]
    return None if token == "+\\" else token


def _log_bytes(pwb: Path) -> tuple[str, dict[str, int]]:
    files = [p for p in (pwb / "logs").rglob("*") if p.is_file()]
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in files), {
        p.name: stat.S_IMODE(p.stat().st_mode) for p in files}


def test_no_credential_in_any_log_of_a_refused_save_or_a_dropped_login(event, wiki, tmp_path, admin, alice):
    """log = ['*'] (and the debug log): a save refused by protection logs the request's
    parameters (the csrf token) and the response headers (Set-Cookie); a login whose connection
    drops logs the request body (the BotPassword). None of it may reach a file or the terminal,
    and every log file is 0600, also one that was 0644 before."""
    cfg = _write_config(event, tmp_path)
    state = tmp_path / "state" / "state.db"
    pwb = _pwb_dir(wiki, tmp_path)
    (pwb / "logs").mkdir()
    old = pwb / "logs" / "main-bot.log"
    old.write_text("an earlier run's log\n")
    old.chmod(0o644)
    first = _cli(["--config", str(cfg), "--source", "site", "run", "--state", str(state)], pwb_dir=pwb)
    assert first.returncode == 0, first.stderr
    overview = event.config.targets.get("overview")
    admin.protect(overview, edit="sysop")
    day2 = event.title("Day 2")
    alice.edit(day2, admin.page_text(day2).replace("The Way Forward ==", "The Way Onward =="), "rename")
    refused = _cli(["--config", str(cfg), "--source", "site", "-vv", "run", "--state", str(state)], pwb_dir=pwb)
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert "protectedpage" in refused.stdout + refused.stderr
    token = _csrf_of(wiki, pwb)
    cookies = _cookie_values(pwb)
    assert token and cookies
    with FaultyProxy(wiki.port, _drop_login) as proxy:
        dropped_pwb = _pwb_dir(wiki, tmp_path / "dropped", port=proxy.port)
        lost = _cli(["--config", str(cfg), "--source", "site", "-vv", "run", "--state", str(tmp_path / "s2.db")],
                    pwb_dir=dropped_pwb)
    assert proxy.faults >= 1 and lost.returncode == 2, lost.stdout + lost.stderr
    assert "login failed" in lost.stderr
    lost_report = json.loads((tmp_path / "s2.db.report.json").read_text())
    assert lost_report["exit"] == 2 and "login failed" in lost_report["error"]
    logs, modes = _log_bytes(pwb)
    dropped_logs, dropped_modes = _log_bytes(dropped_pwb)
    # the leaks happened, and were redacted: pywikibot logged the refused request and the login body
    assert "API error protectedpage" in logs and "token=<redacted>" in logs, logs[-3000:]
    assert "lgpassword=<redacted>" in dropped_logs, dropped_logs[-3000:]
    everything = "".join([first.stdout, first.stderr, refused.stdout, refused.stderr, lost.stdout, lost.stderr,
                          logs, dropped_logs, (state.parent / "state.db.report.json").read_text()])
    assert wiki.botpassword not in everything
    assert token not in everything and token.split("+")[0] not in everything
    assert not TOKEN_SHAPE.search(everything), TOKEN_SHAPE.search(everything)
    for value in cookies:
        assert value not in everything
    assert modes and dropped_modes and set(modes.values()) | set(dropped_modes.values()) == {0o600}, (modes, dropped_modes)
    assert modes["main-bot.log"] == 0o600
    for private in (state, state.parent / "state.db.report.json"):
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    json.loads((state.parent / "state.db.report.json").read_text())


def _drop_bot_session(wiki) -> int:
    """Delete the bot's session from the wiki's session store (SQLite objectcache): the wiki
    forgets the login, as after a restart with a new secret or an expired session."""
    import sqlite3

    from pywikibot.comms import http as pwb_http

    ids = {c.value for c in pwb_http.cookie_jar if "session" in c.name.lower()}
    assert ids
    dropped = 0
    for db in (Path(wiki.workdir) / "db").glob("*.sqlite"):
        with sqlite3.connect(db) as conn:
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'objectcache'").fetchone():
                continue
            for sid in ids:
                dropped += conn.execute("DELETE FROM objectcache WHERE keyname LIKE ?", (f"%MWSession%{sid}",)).rowcount
    return dropped


def test_a_session_lost_between_login_and_save_logs_in_again(event, wiki, tmp_path, admin, monkeypatch):
    """The wiki forgets the bot's session after its login and before its first save (pywikibot
    then has no csrf token: it raised KeyError, a traceback and exit 1). The bot logs in again
    once and saves."""
    from click.testing import CliRunner

    from wmstrategybot.cli.main import cli
    from wmstrategybot.sources.site import SiteSource

    real_login = SiteSource.login
    lost = []

    def login_then_lose_the_session(self):
        real_login(self)
        if not lost:  # as in a fresh process: logged in, no token fetched yet
            self.site.tokens.clear()
            lost.append(_drop_bot_session(wiki))

    monkeypatch.setattr(SiteSource, "login", login_then_lose_the_session)
    cfg = _write_config(event, tmp_path)
    result = CliRunner().invoke(cli, ["--config", str(cfg), "--source", "site", "publish"])
    assert lost and lost[0] >= 1
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert admin.page_text(event.config.targets.get("overview"))


def test_under_503s_quiet_means_one_line_and_no_traceback(event, wiki, tmp_path):
    """Every save answered 503 (pywikibot waits, retries, logs tracebacks through its own
    logging): with -q the run prints nothing but its result, with exit 3 (retried next run);
    every request answered 503: one line and exit 2. No pywikibot output, no traceback."""
    cfg = _write_config(event, tmp_path)

    def edits(body: bytes):
        return 503 if b"action=edit" in body else None

    def everything(body: bytes):
        return 503

    runs = {}
    for name, fault, verbosity in (("edits", edits, ["-q"]), ("everything", everything, ["-q"]),
                                   ("plain", edits, [])):
        with FaultyProxy(wiki.port, fault) as proxy:
            pwb = _pwb_dir(wiki, tmp_path / name, port=proxy.port, logs=False)
            runs[name] = _cli(["--config", str(cfg), "--source", "site", *verbosity, "run", "--state",
                               str(tmp_path / f"{name}.db")], pwb_dir=pwb)
        assert proxy.faults >= 1, name
    assert runs["plain"].returncode == 3 and "503" in runs["plain"].stderr, runs["plain"].stderr
    assert runs["edits"].returncode == 3, runs["edits"].stderr
    assert runs["edits"].stderr == "" and runs["edits"].stdout == ""
    assert runs["everything"].returncode == 2, runs["everything"].stderr
    lines = runs["everything"].stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("wmstrategybot: error: "), runs["everything"].stderr
    for result in runs.values():
        assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(("target", "why"), [
    ("Benutzerin:Bob/Overview", "a user's page (namespace 2)"),
    ("Diskussion:Main Page", "a talk page (namespace 1)"),
    ("mw:Foo", "another wiki"),
])
def test_a_target_the_wiki_resolves_to_a_user_talk_or_other_wiki_page_is_refused(event, wiki, tmp_path, admin,
                                                                                  target, why):
    """A localized or aliased namespace name (set on the wiki, unknown to the config's offline
    check) or an interwiki prefix: the site source resolves the title with the wiki's own tables
    and refuses before any read or write, in one line with exit 2."""
    from wmstrategybot.config.files import load_config

    limits = wiki.settings_file.parent / "ratelimits.php"  # read on every request (conftest)
    limits.write_text("<?php\n$wgRateLimits = [];\n$wgNamespaceAliases['Benutzerin'] = NS_USER;\n"
                      "$wgNamespaceAliases['Diskussion'] = NS_TALK;\n")
    try:
        cfg = _write_config(event, tmp_path)
        cfg.write_text(cfg.read_text().replace(f'"{event.config.targets.get("overview")}"', f'"{target}"'))
        assert load_config(cfg).targets.get("overview") == target  # the offline check lets it through
        before = event.revisions()
        result = _cli(["--config", str(cfg), "--source", "site", "publish"], pwb_dir=_pwb_dir(wiki, tmp_path))
    finally:
        limits.unlink()
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and target in lines[0] and why in lines[0], result.stderr
    assert result.stdout == "" and event.revisions() == before
    assert admin.page_text("User:Bob/Overview") is None


def test_a_status_page_in_another_users_space_is_refused_on_the_site(event, wiki, tmp_path, admin):
    """The status page may be the bot account's own user page (User:WmBot/...), never another
    user's: the site source knows the account and refuses before any read or write."""
    cfg = _write_config(event, tmp_path)
    text = cfg.read_text()  # ends in the [bot] table
    cfg.write_text(text + 'status_page = "User:Bob/status"\n')
    before = event.revisions()
    result = _cli(["--config", str(cfg), "--source", "site", "publish"])
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert "another user than the bot's account (WmBot)" in result.stderr
    assert event.revisions() == before and admin.page_text("User:Bob/status") is None
    cfg.write_text(text + f'status_page = "User:WmBot/status {event.root}"\n')
    assert _cli(["--config", str(cfg), "--source", "site", "publish", "--dry-run"]).returncode == 0
