"""A wiki answering what MediaWiki's API never answers (issue #20): JSON of another shape, 500s,
connections closed unanswered. A server of the test's own on 127.0.0.1 plays the wiki (real
sockets, the real pywikibot); the bot runs as cron starts it. One line naming the wiki's
address, exit 2, no traceback, no "internal error"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

import wmstrategybot

SRC = Path(wmstrategybot.__file__).resolve().parents[1]
USERINFO = {"id": 0, "name": "127.0.0.1", "anon": True, "groups": ["*"], "rights": ["read"]}
NAMESPACES = [(-2, "Media"), (-1, "Special"), (0, ""), (1, "Talk"), (2, "User"), (3, "User talk"), (4, "Project"),
              (10, "Template")]
#: what pywikibot asks of a wiki before anything else (``meta=siteinfo``)
SITEINFO = {"batchcomplete": True, "query": {
    "general": {"mainpage": "Main Page", "base": "http://127.0.0.1/index.php/Main_Page", "sitename": "Fake",
                "generator": "MediaWiki 1.39.3", "phpversion": "8.1", "lang": "en", "case": "first-letter",
                "server": "http://127.0.0.1", "servername": "127.0.0.1", "scriptpath": "", "script": "/index.php",
                "articlepath": "/index.php/$1", "wikiid": "fake", "time": "2026-12-04T00:00:00Z",
                "timezone": "UTC", "timeoffset": 0, "fallback": [], "rtl": False, "readonly": False,
                "writeapi": True, "legaltitlechars": " %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+"},
    "namespaces": {str(n): {"id": n, "case": "first-letter", "name": name, "canonical": name, "subpages": True,
                            "content": n == 0, "nonincludable": False} for n, name in NAMESPACES},
    "namespacealiases": [], "userinfo": USERINFO, "extensions": [], "interwikimap": [], "languages": [],
    "magicwords": [], "specialpagealiases": [], "extensiontags": [], "functionhooks": [], "protocols": ["http://"],
    "restrictions": {"types": ["edit"], "levels": [""], "cascadinglevels": [], "semiprotectedlevels": []},
    "skins": [], "fileextensions": [], "rightsinfo": {}, "showhooks": [], "statistics": {}, "usergroups": [],
    "variables": [], "defaultoptions": {}, "libraries": [], "uploaddialog": {}, "dbrepllag": [{"host": "", "lag": 0}]}}


class FakeWiki:
    """Answers pywikibot's siteinfo and userinfo as a wiki does; every other request with
    `answer`: a JSON value (sent with status 200), an HTTP status, or "close"."""

    def __init__(self, answer, everything: bool = False):
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # noqa: ANN002
                pass

            def _answer(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                asked = {k: v[0] for k, v in parse_qs(body + "&" + self.path.partition("?")[2]).items()}
                meta, wants = asked.get("meta", ""), asked.get("list") or asked.get("prop")
                data, status = answer, 200
                if not everything and "siteinfo" in meta:
                    data = SITEINFO
                elif not everything and meta == "userinfo" and not wants:
                    data = {"query": {"userinfo": USERINFO}}
                elif data == "close":
                    self.close_connection = True
                    return
                elif isinstance(data, int):
                    status, data = data, {}
                elif isinstance(data, dict) and isinstance(data.get("query"), dict):
                    data = {**data, "query": {**data["query"], "userinfo": USERINFO}}
                out = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            do_GET = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.address = f"http://127.0.0.1:{self.port}/api.php"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeWiki:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _pwb_dir(path: Path, port: int) -> Path:
    (path / "families").mkdir(parents=True)
    (path / "families" / "fake_family.py").write_text(
        "from pywikibot import family\n\n\nclass Family(family.Family):\n    name = 'fake'\n"
        f"    langs = {{'en': '127.0.0.1:{port}'}}\n\n    def scriptpath(self, code):\n        return ''\n\n"
        "    def protocol(self, code):\n        return 'http'\n", "utf-8")
    (path / "user-config.py").write_text(
        "family = 'fake'\nmylang = 'en'\nusernames['fake']['en'] = 'Bot'\nmax_retries = 1\nretry_wait = 0\n"
        "retry_max = 0\n", "utf-8")
    return path


def _bot(tmp_path: Path, wiki: FakeWiki, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(PYWIKIBOT_DIR=str(_pwb_dir(tmp_path / "pwb", wiki.port)), PYTHONPATH=str(SRC), HOME=str(tmp_path),
               NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    return subprocess.run([sys.executable, "-m", "wmstrategybot.cli.main", "-q", "--source", "site", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def _one_line(done: subprocess.CompletedProcess[str], wiki: FakeWiki, *words: str) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("wmstrategybot: error: "), done.stderr
    assert wiki.address in lines[0] and "internal error" not in lines[0] and "None" not in lines[0], lines[0]
    assert all(w in lines[0] for w in words), lines[0]
    assert "Traceback" not in done.stdout + done.stderr
    return lines[0]


@pytest.mark.parametrize("answer", [
    {"query": []},  # a list where an object belongs
    [1, 2],  # not an object at all
    "text",
    {"query": {"embeddedin": {"title": "A"}}},  # an object where a list belongs
    {"query": {"embeddedin": [7]}},  # a number where a page belongs
    {"query": {"embeddedin": [{"ns": 0}]}},  # a page without a title
])
def test_an_answer_of_another_shape_is_one_line_naming_the_wiki(tmp_path, answer):
    with FakeWiki(answer) as wiki:
        done = _bot(tmp_path, wiki, "run", "--all", "--dry-run", "--state", str(tmp_path / "job.db"))
    _one_line(done, wiki, "shape")


@pytest.mark.parametrize("answer", [500, "close"])
def test_a_wiki_failing_every_request_is_one_line_naming_its_address(tmp_path, answer):
    with FakeWiki(answer, everything=True) as wiki:
        done = _bot(tmp_path, wiki, "run", "--all", "--dry-run", "--state", str(tmp_path / "job.db"))
    _one_line(done, wiki, "fake:en")


@pytest.mark.parametrize("answer", [500, "close"])
def test_a_wiki_failing_once_it_is_open_is_one_line_naming_its_address(tmp_path, answer):
    with FakeWiki(answer) as wiki:
        done = _bot(tmp_path, wiki, "run", "--all", "--dry-run", "--state", str(tmp_path / "job.db"))
    _one_line(done, wiki, "fail")
