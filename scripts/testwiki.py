#!/usr/bin/env python3
"""A real, throwaway MediaWiki for integration tests and for ``make wiki``.

It uses Debian's ``mediawiki`` package (1.39) in place: ``install.php`` with
SQLite writes a database and a settings file into a work directory, and the
wiki is served by PHP's built-in web server on 127.0.0.1 with
``MW_CONFIG_FILE`` pointing at that settings file. Nothing under /etc,
/var/lib/mediawiki or /usr/share/mediawiki is modified. Every ``start()``
installs a fresh wiki (about 1.5 s), with three accounts: a sysop
(``WikiAdmin``), a bot (``WmBot``, group ``bot``, without ``noratelimit``)
and a BotPassword ``WmBot@wmstrategybot``.

Why BotPassword logins were refused ("Incorrect username or password
entered"): ``action=login`` only treats a login as a BotPassword login when
the password matches ``^[0-9a-w]{32,}$`` (``BotPassword::canonicalizeLoginData``
in includes/user/BotPassword.php), i.e. what MediaWiki itself generates.
``maintenance/createBotPassword.php`` accepts and stores *any* password of
at least 32 characters, so one with upper-case letters, x/y/z or
punctuation is saved fine but at login the name ``WmBot@app`` is then
checked as an ordinary account, which does not exist, hence the message.
Fix: let the script generate the password (no password argument) and read
it from its output. Verified separately: ``$wgCentralIdLookupProvider``
('local'), ``$wgBotPasswordsDatabase`` (false) and the grants were not the
cause; a session cache of CACHE_NONE gives a different error ("Your session
most likely timed out"), so ``$wgSessionCacheType = CACHE_DB`` is set.

install.php refuses to run when the settings file it would load
(``MW_CONFIG_FILE``) already exists ("config-localsettings-cli-upgrade"),
so it writes to ``<workdir>/install/`` and ``<workdir>/LocalSettings.php``
is that file plus our additions, written afterwards.

Only the standard library and ``requests``; imported by the pytest fixture
and run as a script (``serve``, ``check``).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import fcntl
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import requests

MW_DIR = Path(os.environ.get("MW_INSTALL_PATH", "/usr/share/mediawiki"))
APT_PACKAGES = (
    "mediawiki", "php-cli", "php-sqlite3", "php-intl", "php-mbstring", "php-xml", "lua5.1",
)
# PHP modules -> the Debian package providing them.
_PHP_MODULES = {
    "pdo_sqlite": "php-sqlite3", "intl": "php-intl", "mbstring": "php-mbstring",
    "dom": "php-xml", "xml": "php-xml",
}
BOT_GRANTS = ("basic", "highvolume", "editpage", "createeditmovepage", "viewmywatchlist", "editmywatchlist")
SNAPSHOT_XML = Path(__file__).resolve().parent.parent / "src/wmstrategybot/data/wmcon2018-snapshot.xml"
USER_AGENT = "wmstrategybot-testwiki/1.0 (throwaway test wiki client)"
READY_TIMEOUT = 20.0
_SCRIPT_TIMEOUT = 120


class WikiError(Exception):
    """The test wiki could not be set up, or an API call failed.

    ``code`` is the API error code (e.g. ``editconflict``) when there is one,
    ``data`` the decoded API response.
    """

    def __init__(self, message: str, code: str | None = None,
                 data: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.data = data


# --------------------------------------------------------------------------
# Installation of the packages


def missing_packages() -> list[str]:
    """The Debian packages among APT_PACKAGES whose files are missing here."""
    missing: list[str] = []
    if not (MW_DIR / "maintenance" / "install.php").is_file():
        missing.append("mediawiki")
    if shutil.which("lua5.1") is None:
        missing.append("lua5.1")
    php = shutil.which("php")
    if php is None:
        missing.append("php-cli")
        missing.extend(sorted(set(_PHP_MODULES.values())))
    else:
        out = subprocess.run([php, "-m"], capture_output=True, text=True, check=False).stdout
        have = {line.strip().lower() for line in out.splitlines()}
        missing.extend(sorted({pkg for mod, pkg in _PHP_MODULES.items() if mod not in have}))
    return missing


@contextlib.contextmanager
def apt_lock() -> Iterator[None]:
    """Held while this machine's tests install packages: one apt-get at a time (dpkg's own lock
    makes a second one fail, not wait)."""
    with open(Path(tempfile.gettempdir()) / "wmstrategybot-apt.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def ensure_installed() -> None:
    """Install the packages with apt-get when missing and root; else raise WikiError."""
    missing = missing_packages()
    if not missing:
        return
    command = ("apt-get install -y --no-install-recommends " + " ".join(APT_PACKAGES))
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise WikiError(
            f"the test wiki needs Debian packages that are missing ({', '.join(missing)}); "
            f"install them as root: apt-get update && {command}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    # one installer at a time: the tests' workers (pytest-xdist) each start a wiki, and a second
    # apt-get would fail on dpkg's lock; the later ones find the packages there and install nothing
    with apt_lock():
        if not missing_packages():
            return
        for argv in (["apt-get", "update"], command.split()):
            proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                raise WikiError(f"`{' '.join(argv)}` failed (exit {proc.returncode}): "
                                f"{_tail(proc.stdout + proc.stderr)}")
    still = missing_packages()
    if still:
        raise WikiError(f"still missing after apt-get install: {', '.join(still)}")


# --------------------------------------------------------------------------
# Helpers


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _php_str(value: str | Path) -> str:
    """A PHP single-quoted string literal."""
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _password(length: int = 24) -> str:
    """A random password that passes MediaWiki's password policies."""
    return "Tw-" + secrets.token_urlsafe(length)


def _api_value(value: Any) -> str | None:
    """Encode one API parameter value; None/False mean 'leave the parameter out'."""
    if value is None or value is False:
        return None
    if value is True:
        return "1"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "|".join(str(v) for v in value)
    return str(value)


# --------------------------------------------------------------------------
# API client


class ApiSession:
    """A small ``requests.Session`` wrapper around one wiki's api.php.

    ``get``/``post`` add ``format=json&formatversion=2`` and raise WikiError
    (with ``.code``) when the API answers with an error. Python keywords are
    passed with a dict: ``s.edit("P", "t", **{"assert": "user"})``.
    """

    def __init__(self, api_url: str, timeout: float = 60.0) -> None:
        self.api_url = api_url
        self.timeout = timeout
        self.http = requests.Session()
        self.http.headers["User-Agent"] = USER_AGENT
        self.user: str | None = None
        self._csrf: str | None = None

    def _request(self, method: str, params: Mapping[str, Any]) -> dict[str, Any]:
        data = {k: v for k, v in ((k, _api_value(v)) for k, v in params.items()) if v is not None}
        data.update(format="json", formatversion="2")
        if method == "GET":
            resp = self.http.get(self.api_url, params=data, timeout=self.timeout)
        else:
            resp = self.http.post(self.api_url, data=data, timeout=self.timeout)
        try:
            result: dict[str, Any] = resp.json()
        except ValueError as exc:
            raise WikiError(f"api.php answered HTTP {resp.status_code} without JSON: "
                            f"{resp.text[:300]!r}") from exc
        if "error" in result:
            err = result["error"]
            code = str(err.get("code", "unknown"))
            raise WikiError(f"{code}: {err.get('info', '')}", code=code, data=result)
        return result

    def get(self, **params: Any) -> dict[str, Any]:
        """GET api.php with these parameters; the decoded response."""
        return self._request("GET", params)

    def post(self, **params: Any) -> dict[str, Any]:
        """POST api.php with these parameters; the decoded response."""
        return self._request("POST", params)

    def token(self, kind: str = "csrf") -> str:
        """A fresh token of this type (csrf, login, watch, ...)."""
        return str(self.get(action="query", meta="tokens", type=kind)["query"]["tokens"][f"{kind}token"])

    def _post_with_token(self, **params: Any) -> dict[str, Any]:
        """POST with a csrf token, fetching a new one once on ``badtoken``."""
        for attempt in (1, 2):
            if self._csrf is None:
                self._csrf = self.token("csrf")
            try:
                return self.post(token=self._csrf, **params)
            except WikiError as exc:
                if exc.code != "badtoken" or attempt == 2:
                    raise
                self._csrf = None
        raise AssertionError("unreachable")

    def login(self, user: str, password: str) -> None:
        """Log in: a BotPassword (``User@app``) via action=login, else clientlogin."""
        token = self.token("login")
        if "@" in user:
            res = self.post(action="login", lgname=user, lgpassword=password, lgtoken=token)["login"]
            ok, reason = res.get("result") == "Success", res.get("reason", res.get("result"))
        else:
            res = self.post(action="clientlogin", username=user, password=password,
                            logintoken=token, loginreturnurl="http://127.0.0.1/")["clientlogin"]
            ok, reason = res.get("status") == "PASS", res.get("message", res.get("status"))
        if not ok:
            raise WikiError(f"login as {user} failed: {reason}", code="loginfailed", data=res)
        self.user = user
        self._csrf = None

    def edit(self, title: str, text: str, summary: str = "", **extra: Any) -> dict[str, Any]:
        """Save ``text`` to ``title``; returns the ``edit`` part of the response."""
        res = self._post_with_token(action="edit", title=title, text=text, summary=summary, **extra)
        edit: dict[str, Any] = res["edit"]
        if edit.get("result") != "Success":
            raise WikiError(f"edit of {title!r} failed: {edit}", code="editfailed", data=res)
        return edit

    def _latest(self, title: str) -> dict[str, Any] | None:
        page = self.get(action="query", prop="revisions", titles=title,
                        rvprop="ids|content", rvslots="main")["query"]["pages"][0]
        if page.get("missing") or page.get("invalid") or not page.get("revisions"):
            return None
        rev: dict[str, Any] = page["revisions"][0]
        return rev

    def page_text(self, title: str) -> str | None:
        """The current wikitext of ``title``, or None when it does not exist."""
        rev = self._latest(title)
        return None if rev is None else str(rev["slots"]["main"].get("content", ""))

    def latest_revid(self, title: str) -> int | None:
        """The id of the current revision of ``title``, or None."""
        rev = self._latest(title)
        return None if rev is None else int(rev["revid"])

    def delete(self, title: str, reason: str = "") -> dict[str, Any]:
        """Delete a page (needs a sysop session)."""
        return self._post_with_token(action="delete", title=title, reason=reason)

    def move(self, title: str, to: str, *, redirect: bool = False) -> dict[str, Any]:
        """Move a page (without leaving a redirect unless asked; needs a sysop session for that)."""
        extra = {} if redirect else {"noredirect": 1}
        return self._post_with_token(action="move", **{"from": title}, to=to, reason="test", **extra)

    def protect(self, title: str, edit: str = "sysop") -> dict[str, Any]:
        """Protect a page against editing (and moving) below group ``edit``."""
        return self._post_with_token(action="protect", title=title,
                                     protections=f"edit={edit}|move={edit}", expiry="infinite")


# --------------------------------------------------------------------------
# The wiki


class TestWiki:
    """A throwaway MediaWiki in ``workdir``, served on 127.0.0.1.

    ``start()`` wipes what an earlier start left in ``workdir`` (db/, install/,
    cache/, logs/, LocalSettings.php), installs, and serves; ``stop()`` ends
    the server. Usable as a context manager. ``extra_settings`` is PHP
    appended to LocalSettings.php (e.g. lower ``$wgRateLimits``).
    """

    __test__ = False  # not a pytest test class, despite the name
    sitename = "TestWiki"
    admin_user = "WikiAdmin"
    bot_user = "WmBot"
    botpassword_name = "wmstrategybot"

    def __init__(self, workdir: Path, port: int | None = None, *,
                 extra_settings: str = "") -> None:
        self.workdir = Path(workdir).resolve()
        self.requested_port = port
        self.port: int = port or 0
        self.extra_settings = extra_settings
        self.admin_password = _password()
        self.botpassword = ""
        self._bot_main_password = _password()
        self._proc: subprocess.Popen[bytes] | None = None
        self.start_seconds: float | None = None

    # -- paths and URLs

    @property
    def settings_file(self) -> Path:
        return self.workdir / "LocalSettings.php"

    @property
    def log_dir(self) -> Path:
        return self.workdir / "logs"

    @property
    def server_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.server_url}/api.php"

    @property
    def index_url(self) -> str:
        return f"{self.server_url}/index.php"

    @property
    def bot_login(self) -> str:
        """The BotPassword login name, ``WmBot@wmstrategybot``."""
        return f"{self.bot_user}@{self.botpassword_name}"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    # -- life cycle

    def start(self) -> TestWiki:
        """Install a fresh wiki, create the accounts, serve it; returns when api.php answers."""
        if self.running:
            return self
        began = time.monotonic()
        ensure_installed()
        self._clean()
        self.port = self.requested_port or free_port()
        self._install()
        self._write_settings()
        self._maintenance("createAndPromote.php", self.bot_user, self._bot_main_password, "--bot")
        self._create_botpassword()
        attempts = 1 if self.requested_port else 3
        for attempt in range(1, attempts + 1):
            try:
                self._serve()
                break
            except WikiError:
                self.stop()
                if attempt == attempts:
                    raise
                self.port = free_port()  # someone took the port meanwhile
                self._write_settings()
        atexit.register(self.stop)
        self.start_seconds = time.monotonic() - began
        return self

    def stop(self) -> None:
        """Stop the web server (its whole process group). Idempotent."""
        proc, self._proc = self._proc, None
        atexit.unregister(self.stop)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=5)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)

    def wait(self) -> int | None:
        """Block until the web server exits; its exit status (None if not started)."""
        proc = self._proc
        return None if proc is None else proc.wait()

    def __enter__(self) -> TestWiki:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- accounts and clients

    def make_user(self, name: str, password: str, groups: Iterable[str] = ()) -> None:
        """Create a (human) account, optionally in some groups (sysop, bot, ...)."""
        flags = {"sysop", "bureaucrat", "interface-admin", "bot"}
        groups = list(groups)
        args = [f"--{g}" for g in groups if g in flags]
        custom = [g for g in groups if g not in flags]
        if custom and self.running:
            known = {g["name"] for g in ApiSession(self.api_url).get(
                action="query", meta="siteinfo", siprop="usergroups")["query"]["usergroups"]}
            if set(custom) - known:
                raise WikiError(f"make_user({name!r}): unknown groups {sorted(set(custom) - known)}")
        if custom:
            args.append("--custom-groups=" + ",".join(custom))
        out = self._maintenance("createAndPromote.php", name, password, *args)
        if "is not a valid group" in out:
            raise WikiError(f"make_user({name!r}): unknown group in {custom}")

    def session(self, user: str, password: str) -> ApiSession:
        """A logged-in API client (BotPassword if ``user`` contains '@')."""
        s = ApiSession(self.api_url)
        s.login(user, password)
        return s

    def admin_session(self) -> ApiSession:
        """A logged-in API client for the sysop."""
        return self.session(self.admin_user, self.admin_password)

    def bot_session(self) -> ApiSession:
        """A logged-in API client for WmBot through its BotPassword."""
        return self.session(self.bot_login, self.botpassword)

    def run_jobs(self) -> None:
        """Run the job queue ($wgJobRunRate is 0: e.g. links of transcluding pages)."""
        self._maintenance("runJobs.php", "--maxjobs", "10000")

    def purge(self, titles: Iterable[str]) -> None:
        """Render these pages again now (after run_jobs: a job that ran in the second of a page's
        last parse leaves that parse in the cache, as the parser cache compares whole seconds)."""
        titles = list(titles)
        for start in range(0, len(titles), 50):
            ApiSession(self.api_url).post(action="purge", titles=titles[start : start + 50], forcelinkupdate=1)

    def run_jobs_command(self) -> str:
        """The shell command that runs this wiki's job queue."""
        return (f"MW_CONFIG_FILE={shlex.quote(str(self.settings_file))} "
                f"php {shlex.quote(str(MW_DIR / 'maintenance' / 'runJobs.php'))}")

    def import_xml(self, path: Path) -> None:
        """Import a Special:Export XML file (maintenance/importDump.php), then run the jobs."""
        path = Path(path).resolve()
        if not path.is_file():
            raise WikiError(f"no such XML export: {path}")
        self._maintenance("importDump.php", "--username-prefix=imported", str(path))
        self.run_jobs()

    def write_pywikibot_dir(self, path: Path, botpassword: tuple[str, str] | None = None) -> Path:
        """Write a PYWIKIBOT_DIR (family, user-config.py, user-password.py) for WmBot.

        `botpassword` is (appid, password) of another of its BotPasswords (create_botpassword).
        """
        appid, password = botpassword or (self.botpassword_name, self.botpassword)
        if not self.botpassword:
            raise WikiError("write_pywikibot_dir() needs a started wiki")
        path = Path(path)
        (path / "families").mkdir(parents=True, exist_ok=True)
        # Cookies and cached siteinfo of an earlier wiki in this directory would be stale.
        for stale in [*path.glob("apicache*"), *path.glob("pywikibot*.lwp")]:
            if stale.is_dir():
                shutil.rmtree(stale)
            else:
                stale.unlink()
        (path / "families" / "testwiki_family.py").write_text(
            '"""Family of the wmstrategybot throwaway test wiki (generated)."""\n'
            "from pywikibot import family\n\n\n"
            "class Family(family.Family):\n"
            "    name = 'testwiki'\n"
            f"    langs = {{'en': '127.0.0.1:{self.port}'}}\n\n"
            "    def scriptpath(self, code):\n"
            "        return ''\n\n"
            "    def protocol(self, code):\n"
            "        return 'http'\n",
            encoding="utf-8")
        (path / "user-config.py").write_text(
            "# Generated for the wmstrategybot throwaway test wiki.\n"
            "family = 'testwiki'\n"
            "mylang = 'en'\n"
            f"usernames['testwiki']['en'] = {self.bot_user!r}\n"
            "password_file = 'user-password.py'\n"
            "put_throttle = 0\n"
            "if 'write_maxlag' in globals():  # pywikibot >= 11.8 renamed maxlag\n"
            "    write_maxlag = 5\n"
            "else:\n"
            "    maxlag = 5\n"
            "max_retries = 2\n"
            "retry_wait = 1\n"
            "retry_max = 2\n"
            "console_encoding = 'utf-8'\n"
            "noisysleep = 600\n",
            encoding="utf-8")
        pw_file = path / "user-password.py"
        pw_file.unlink(missing_ok=True)
        fd = os.open(pw_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"({self.bot_user!r}, BotPassword({appid!r}, {password!r}))\n")
        return path

    # -- internals

    def _env(self) -> dict[str, str]:
        return dict(os.environ, MW_CONFIG_FILE=str(self.settings_file))

    def _clean(self) -> None:
        self.stop()
        for name in ("db", "install", "cache", "logs"):
            shutil.rmtree(self.workdir / name, ignore_errors=True)
        self.settings_file.unlink(missing_ok=True)
        for name in ("db", "install", "cache", "logs"):
            (self.workdir / name).mkdir(parents=True)

    def _run(self, argv: list[str], what: str) -> str:
        """Run a PHP script in MW_DIR; output, or WikiError naming ``what`` (never argv)."""
        try:
            proc = subprocess.run(argv, cwd=MW_DIR, env=self._env(), capture_output=True,
                                  text=True, timeout=_SCRIPT_TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise WikiError(f"{what} did not finish within {_SCRIPT_TIMEOUT}s") from exc
        out = proc.stdout + proc.stderr
        if proc.returncode != 0:
            raise WikiError(f"{what} failed (exit {proc.returncode}): {_tail(out)}")
        return out

    def _maintenance(self, script: str, *args: str) -> str:
        return self._run(["php", str(MW_DIR / "maintenance" / script), *args], script)

    def _install(self) -> None:
        passfile = self.workdir / "install" / "adminpass"
        fd = os.open(passfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(self.admin_password)
        try:
            self._maintenance(
                "install.php", "--dbtype", "sqlite", "--dbpath", str(self.workdir / "db"),
                "--server", self.server_url, "--scriptpath", "", "--lang", "en",
                "--passfile", str(passfile), "--confpath", str(self.workdir / "install"),
                "--skins", "Vector", self.sitename, self.admin_user)
        finally:
            passfile.unlink(missing_ok=True)
        if not (self.workdir / "install" / "LocalSettings.php").is_file():
            raise WikiError("install.php wrote no LocalSettings.php")

    def _write_settings(self) -> None:
        """LocalSettings.php = install.php's file + the test wiki's settings."""
        generated = (self.workdir / "install" / "LocalSettings.php").read_text(encoding="utf-8")
        lua = shutil.which("lua5.1") or "/usr/bin/lua5.1"
        logs = self.log_dir
        extra = f"""
# ---- wmstrategybot test wiki (scripts/testwiki.py) ----
$wgServer = {_php_str(self.server_url)};
wfLoadExtension( 'ParserFunctions' );
wfLoadExtension( 'Scribunto' );
wfLoadExtension( 'TemplateData' );
$wgScribuntoDefaultEngine = 'luastandalone';
$wgScribuntoEngineConf['luastandalone']['luaPath'] = {_php_str(lua)};

$wgEnableBotPasswords = true;
$wgBotPasswordsDatabase = false;
$wgCentralIdLookupProvider = 'local';
$wgMainCacheType = CACHE_NONE;
$wgSessionCacheType = CACHE_DB;    // login tokens and sessions must survive between requests
$wgStatsCacheType = CACHE_DB;      // rate limit counters ($wgRateLimits stay at the defaults)
$wgCacheDirectory = {_php_str(self.workdir / "cache")};
$wgPasswordAttemptThrottle = [];   // tests may try wrong passwords
$wgGroupPermissions['bot']['noratelimit'] = false;  // so `ratelimited` can be tested

$wgNamespacesWithSubpages[NS_MAIN] = true;  // as on Meta-Wiki: [[/Day 1]] links a subpage
$wgEnableUploads = false;
$wgEnableEmail = false;
$wgJobRunRate = 0;                 // TestWiki.run_jobs() runs them
$wgShowExceptionDetails = true;
$wgDebugLogGroups = [
    'exception' => {_php_str(logs / "exception.log")},
    'error' => {_php_str(logs / "error.log")},
    'fatal' => {_php_str(logs / "fatal.log")},
    'authentication' => {_php_str(logs / "authentication.log")},
    'ratelimit' => {_php_str(logs / "ratelimit.log")},
];
{self.extra_settings}
"""
        tmp = self.settings_file.with_suffix(".tmp")
        tmp.write_text(generated.rstrip() + "\n" + extra, encoding="utf-8")
        tmp.replace(self.settings_file)

    def _create_botpassword(self) -> None:
        self.botpassword = self.create_botpassword(self.botpassword_name, BOT_GRANTS)

    def create_botpassword(self, appid: str, grants: Iterable[str]) -> str:
        """A BotPassword of the bot account with these grants; its generated password."""
        # No password argument: the script generates one in the only format
        # action=login accepts (see the module docstring).
        out = self._maintenance(
            "createBotPassword.php", "--appid", appid, "--grants", ",".join(grants), self.bot_user)
        match = re.search(r"password:'([0-9a-w]{32,})'", out)
        if not match:
            raise WikiError("createBotPassword.php printed no usable password")
        return match.group(1)

    def _serve(self) -> None:
        log = open(self.log_dir / "server.log", "ab")  # noqa: SIM115 - owned by the child
        try:
            self._proc = subprocess.Popen(
                ["php", "-S", f"127.0.0.1:{self.port}", "-t", str(MW_DIR)],
                cwd=MW_DIR, env=self._env(), stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        """Poll siteinfo until it answers (bounded by READY_TIMEOUT)."""
        deadline = time.monotonic() + READY_TIMEOUT
        delay, last = 0.05, "no answer"
        with requests.Session() as http:
            while True:
                if self._proc is None or self._proc.poll() is not None:
                    raise WikiError(f"php -S exited: {_tail(self._server_log(), 5)}")
                try:
                    resp = http.get(self.api_url, timeout=max(1.0, deadline - time.monotonic()),
                                    params={"action": "query", "meta": "siteinfo",
                                            "format": "json"})
                    if resp.ok and "query" in resp.json():
                        if self._proc.poll() is not None:  # another server has this port
                            raise WikiError(f"php -S exited: {_tail(self._server_log(), 5)}")
                        return
                    last = f"HTTP {resp.status_code}: {resp.text[:200]!r}"
                except (requests.RequestException, ValueError) as exc:
                    last = str(exc)
                if time.monotonic() >= deadline:
                    raise WikiError(f"api.php did not answer within {READY_TIMEOUT:.0f}s "
                                    f"({last}); see {self.log_dir}")
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    def _server_log(self) -> str:
        try:
            return (self.log_dir / "server.log").read_text(errors="replace")
        except OSError:
            return ""


# --------------------------------------------------------------------------
# Command line


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _cmd_serve(args: argparse.Namespace) -> int:
    # Ctrl-C, `kill` and a closed terminal all stop the wiki cleanly (SIGINT is
    # ignored in processes started in the background by a non-interactive shell).
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    tmp = None if args.dir else tempfile.mkdtemp(prefix="testwiki-")
    # A person clicks through this wiki and may run the bot again by hand: every request runs
    # a job, so pages that transclude the navbox show the current box without a purge.
    wiki = TestWiki(Path(args.dir or tmp or "."), args.port, extra_settings="$wgJobRunRate = 1;\n")
    workdir = wiki.workdir
    try:
        wiki.start()
        if args.load_snapshot:
            wiki.import_xml(Path(args.load_snapshot))
        pwb = wiki.write_pywikibot_dir(workdir / "pywikibot")
        if args.load_pages:
            return _serve_pages(wiki, pwb, Path(args.load_pages))
        event = write_event_config(workdir / "event.toml")
        editor_password = _password(12)
        wiki.make_user(EDITOR_USER, editor_password)
        if args.publish:
            run_bot(pwb, event)
            wiki.run_jobs()  # the Day pages then show the new navbox, with no stale red links
            wiki.purge(event_pages(event))
        bot = bot_command()
        print(f"wiki:          {wiki.index_url}?title={SNAPSHOT_DAY.replace(' ', '_')}  (api: {wiki.api_url})")
        print(f"editor login:  {EDITOR_USER} / {editor_password}  (Special:UserLogin; an ordinary account)")
        print(f"bot login:     {wiki.bot_login}  (BotPassword, group bot)")
        print(f"PYWIKIBOT_DIR: {pwb}")
        print(f"event config:  {event}")
        print(f"run the bot:   PYWIKIBOT_DIR={pwb} {bot} --config {event} --source site publish")
        print(f"job queue:     {wiki.run_jobs_command()}  (runs by itself on page views too)")
        print(f"work dir:      {workdir}  (logs in {wiki.log_dir})")
        print(f"started in {wiki.start_seconds:.1f}s; Ctrl-C stops", flush=True)
        code = wiki.wait()
        print(f"testwiki: the web server exited (status {code}); see {wiki.log_dir}",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        wiki.stop()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def _serve_pages(wiki: TestWiki, pwb: Path, folder: Path) -> int:
    """`make wiki PAGES=DIR`: the folder's pages and the stubs of the templates they call loaded,
    the bot's templates installed; what to open and the `run --all` command printed."""
    import wikipages

    try:
        loaded = wikipages.load(wiki.admin_session(), folder)
    except (FileNotFoundError, UnicodeDecodeError) as exc:
        raise WikiError(str(exc)) from None
    env = dict(os.environ, PYWIKIBOT_DIR=str(pwb))
    subprocess.run([sys.executable, "-m", "wmstrategybot.cli.main", "-q", "--source", "site", "templates", "sync"],
                   env=env, check=False)
    editor_password = _password(12)
    wiki.make_user(EDITOR_USER, editor_password)
    bot, state = bot_command(), wiki.workdir / "job.db"
    first = (loaded.roots or loaded.pages or ["Main Page"])[0]
    print(f"loaded:        {len(loaded.pages)} pages from {folder}, {len(loaded.stubs)} template stubs")
    if loaded.roots:
        print(f"opting in:     {', '.join(loaded.roots)}")
    else:
        print("opting in:     none yet: add {{Event track bot|days=...}} to your root page (on the wiki, "
              "or in its file and load again)")
    print(f"wiki:          {wiki.index_url}?title={first.replace(' ', '_')}  (api: {wiki.api_url})")
    print(f"editor login:  {EDITOR_USER} / {editor_password}  (Special:UserLogin; an ordinary account)")
    print(f"run the bot:   PYWIKIBOT_DIR={pwb} {bot} --source site run --all --state {state}")
    print(f"work dir:      {wiki.workdir}  (logs in {wiki.log_dir})")
    print(f"started in {wiki.start_seconds:.1f}s; Ctrl-C stops", flush=True)
    code = wiki.wait()
    print(f"testwiki: the web server exited (status {code}); see {wiki.log_dir}", file=sys.stderr)
    return 1


EDITOR_USER = "Editor"
SNAPSHOT_DAY = "Wikimedia Conference 2018/Documentation/Movement Strategy track/Day 1"
BUNDLED_CONFIG = Path(__file__).resolve().parents[1] / "src" / "wmstrategybot" / "events" / "wmcon2018.toml"


def bot_command() -> str:
    """How to call the bot from a shell, as this Python has it (e.g. .venv/bin/wmstrategybot)."""
    script = Path(sys.executable).parent / "wmstrategybot"
    if script.is_file():
        return shlex.quote(str(script))
    return f"{shlex.quote(sys.executable)} -m wmstrategybot.cli"


def write_event_config(path: Path, config: Path = BUNDLED_CONFIG) -> Path:
    """An event config (the bundled 2018 one by default), pointed at this wiki's pywikibot family."""
    text = config.read_text("utf-8")
    if "[site]" in text:
        text = re.sub(r"(?m)^family = .*$", 'family = "testwiki"', text, count=1)
        text = re.sub(r"(?m)^code = .*$", 'code = "en"', text, count=1)
    else:
        text = '[site]\nfamily = "testwiki"\ncode = "en"\n\n' + text
    if "throttle = " in text:
        text = re.sub(r"(?m)^throttle = .*$", "throttle = 0", text)
    elif "[bot]" in text:
        text = text.replace("[bot]\n", "[bot]\nthrottle = 0\n", 1)
    else:
        text = text.rstrip("\n") + "\n\n[bot]\nthrottle = 0\n"
    path.write_text(text, "utf-8")
    return path


def event_pages(config: Path) -> list[str]:
    """The pages of an event: the ones the bot reads and the ones it makes."""
    from wmstrategybot.config.files import load_config
    from wmstrategybot.render.kinds import target_titles

    event = load_config(config)
    return [*event.source_pages, *target_titles(event)]


def run_bot(pwb: Path, event: Path, commands: Iterable[Iterable[str]] = (("templates", "sync"), ("publish",)),
            *, quiet: bool = False) -> list[int]:
    """Run the bot's commands on this wiki (install the templates, publish the event); exit codes."""
    env = dict(os.environ, PYWIKIBOT_DIR=str(pwb))
    codes = []
    for command in commands:
        argv = [sys.executable, "-m", "wmstrategybot.cli.main", "--config", str(event), "--source", "site", *command]
        if not quiet:
            print("$ wmstrategybot " + " ".join(shlex.quote(a) for a in argv[3:]), flush=True)
        out = subprocess.DEVNULL if quiet else None
        codes.append(subprocess.run(argv, env=env, check=False, stdout=out, stderr=out).returncode)
    return codes


def _cmd_check(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="testwiki-check-") as tmp:
        wiki = TestWiki(Path(tmp), args.port)
        with wiki:
            api = ApiSession(wiki.api_url)
            api.login(wiki.bot_login, wiki.botpassword)
            edit = api.edit("Testwiki check", "checked", "testwiki check", **{"assert": "bot"})
            if not edit.get("newrevid"):
                raise WikiError(f"the check edit made no revision: {edit}")
        print(f"OK (started in {wiki.start_seconds:.1f}s, BotPassword login, edit r{edit['newrevid']})")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``serve`` or ``check``; one line on stderr and exit 2 on WikiError."""
    parser = argparse.ArgumentParser(description="Throwaway MediaWiki for wmstrategybot tests.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the wiki and wait for Ctrl-C")
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--dir", default=None, help="work directory (default: a temporary one)")
    serve.add_argument("--publish", action="store_true",
                       help="after loading, run the bot: templates sync and publish")
    serve.add_argument("--load-snapshot", nargs="?", const=str(SNAPSHOT_XML), default=None,
                       metavar="XML", help="import a Special:Export file (default: the bundled "
                       "2018 snapshot)")
    serve.add_argument("--load-pages", default=None, metavar="DIR",
                       help="save the pages of a dir: folder (title A/B is DIR/A/B.wikitext), with stubs of "
                       "the templates they call, install the bot's templates and print the run --all command")
    check = sub.add_parser("check", help="start, log in with the BotPassword, edit, stop")
    check.add_argument("--port", type=int, default=None)
    args = parser.parse_args(argv)
    try:
        return _cmd_serve(args) if args.command == "serve" else _cmd_check(args)
    except WikiError as exc:
        print(f"testwiki: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
