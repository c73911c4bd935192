"""A local stand-in for Wikimedia's EventStreams service, for the tests and benchmarks of
`run --all --follow`: the test wiki's recent changes as the ``recentchange`` stream.

No package provides Wikimedia's service (EventStreams is a Node.js service in front of Kafka,
run by the Wikimedia Foundation; there is no local build of it to install), so this is written
for the tests. It serves ``GET /v2/stream/recentchange`` on 127.0.0.1 as Server-Sent Events:

- each event is the recentchange schema's JSON (``$schema``, ``meta.domain``/``uri``/``dt``/``id``,
  ``id``, ``type``, ``namespace``, ``title``, ``user``, ``bot``, ``revision``, ``timestamp``,
  ``wiki``, ``server_name``, the ``log_*`` fields), read from the wiki's ``list=recentchanges``;
- each has an ``id:`` line as EventStreams writes it (a JSON list of Kafka positions; here the
  recent change's id as ``offset`` and its time in milliseconds as ``timestamp``);
- a client resumes with the ``Last-Event-ID`` header or ``?since=`` (ISO 8601 or milliseconds);
  with neither it starts at the present;
- every connection is dropped after `drop_after` seconds (the real one drops about every 15
  minutes), abruptly, in the middle of the chunked body, as a network drop looks;
- `down` makes it refuse connections (HTTP 503), as a stream outage.

``python scripts/eventstream_stub.py --api URL [--port N] [--drop-after S]`` runs it alone.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import requests

PATH = "/v2/stream/recentchange"
_RCPROP = "user|title|ids|timestamp|loginfo|flags|sizes|comment"


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ms(text: str) -> int | None:
    """A ``since`` value in milliseconds: digits (milliseconds) or an ISO 8601 time."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    try:
        return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError:
        return None


class StreamStub:
    """The stream of one wiki's recent changes on 127.0.0.1 (`url`); `start()` and `stop()`."""

    def __init__(self, api_url: str, port: int = 0, *, drop_after: float = 5.0, poll: float = 0.25):
        self.api_url = api_url
        self.drop_after = drop_after
        self.poll = poll
        self.down = False
        #: what clients asked for: one dict per connection (since, last_event_id)
        self.connections: list[dict[str, str | None]] = []
        self.refused = 0
        self.sent = 0
        self._lock = threading.Lock()
        self._http = requests.Session()
        info = self._api(action="query", meta="siteinfo", siprop="general")["query"]["general"]
        self.wiki, self.domain = str(info["wikiid"]), str(info["servername"])
        self.server_url = str(info["server"])
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                stub._serve(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{PATH}"

    @property
    def host(self) -> str:
        """What a pywikibot family's ``eventstreams_host`` says for this stream."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> StreamStub:
        self._thread = threading.Thread(target=self._server.serve_forever, name="eventstream-stub", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> StreamStub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the wiki

    def _api(self, **params: Any) -> dict[str, Any]:
        with self._lock:  # one request at a time: php -S serves one at a time anyway
            resp = self._http.get(self.api_url, params={**params, "format": "json", "formatversion": "2"}, timeout=30)
        resp.raise_for_status()
        result: dict[str, Any] = resp.json()
        return result

    def _changes(self, start_ms: int, after_rcid: int) -> list[dict[str, Any]]:
        """The wiki's recent changes from `start_ms` on whose id is above `after_rcid`, oldest first."""
        out: list[dict[str, Any]] = []
        params: dict[str, Any] = {"action": "query", "list": "recentchanges", "rcprop": _RCPROP, "rcdir": "newer",
                                  "rclimit": 500, "rctype": "edit|new|log", "rcstart": _iso(start_ms)}
        while True:
            data = self._api(**params)
            out += [rc for rc in data["query"]["recentchanges"] if int(rc["rcid"]) > after_rcid]
            if "continue" not in data or len(out) > 5000:
                return out
            params.update(data["continue"])

    def _event(self, rc: dict[str, Any]) -> dict[str, Any]:
        """A recent change as the recentchange schema has it."""
        when = datetime.fromisoformat(rc["timestamp"].replace("Z", "+00:00"))
        title = str(rc["title"])
        event: dict[str, Any] = {
            "$schema": "/mediawiki/recentchange/1.0.0",
            "meta": {"uri": f"{self.server_url}/index.php?title={title.replace(' ', '_')}", "domain": self.domain,
                     "dt": rc["timestamp"], "id": str(uuid.uuid4()), "stream": "mediawiki.recentchange",
                     "request_id": str(uuid.uuid4())},
            "id": int(rc["rcid"]), "type": rc["type"], "namespace": int(rc["ns"]), "title": title,
            "comment": rc.get("comment", ""), "timestamp": int(when.timestamp()), "user": rc.get("user", ""),
            "bot": bool(rc.get("bot")), "minor": bool(rc.get("minor")), "server_url": self.server_url,
            "server_name": self.domain, "server_script_path": "", "wiki": self.wiki,
        }
        if rc["type"] in ("edit", "new"):
            event["revision"] = {"old": rc.get("old_revid") or None, "new": rc.get("revid")}
            event["length"] = {"old": rc.get("oldlen"), "new": rc.get("newlen")}
            event["patrolled"] = False
        if rc["type"] == "log":
            event.update(log_id=rc.get("logid"), log_type=rc.get("logtype"), log_action=rc.get("logaction"),
                         log_params=rc.get("logparams") or {}, log_action_comment=rc.get("comment", ""))
        return event

    # -- one connection

    def _start(self, handler: BaseHTTPRequestHandler) -> tuple[int, int]:
        """Where a connection starts: (milliseconds, the last recent change id already seen)."""
        query = parse_qs(urlparse(handler.path).query)
        last_id = handler.headers.get("Last-Event-ID")
        since = (query.get("since") or [None])[0]
        with self._lock:
            self.connections.append({"since": since, "last_event_id": last_id})
        if last_id:
            try:
                position = json.loads(last_id)[0]
                return int(position["timestamp"]), int(position["offset"])
            except (ValueError, KeyError, IndexError, TypeError):
                pass
        if since and _ms(since) is not None:
            return _ms(since) or 0, 0
        latest = self._api(action="query", list="recentchanges", rcprop="ids|timestamp", rclimit=1, rcdir="older")
        rows = latest["query"]["recentchanges"]
        now = int(time.time() * 1000)
        return now, int(rows[0]["rcid"]) if rows else 0

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        if urlparse(handler.path).path != PATH:
            handler.send_error(404, "only /v2/stream/recentchange here")
            return
        if self.down:
            with self._lock:
                self.refused += 1
            handler.send_error(503, "the stream is down")
            return
        start_ms, after = self._start(handler)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream; charset=utf-8")
        handler.send_header("Cache-Control", "no-cache")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        ends = time.monotonic() + self.drop_after
        try:
            self._chunk(handler, ":ok\n\n")
            while time.monotonic() < ends and not self.down:
                for rc in self._changes(start_ms, after):
                    ms = int(datetime.fromisoformat(rc["timestamp"].replace("Z", "+00:00")).timestamp() * 1000)
                    position = [{"topic": "stub.mediawiki.recentchange", "partition": 0, "offset": int(rc["rcid"]),
                                 "timestamp": ms}]
                    self._chunk(handler, f"event: message\nid: {json.dumps(position)}\n"
                                         f"data: {json.dumps(self._event(rc))}\n\n")
                    with self._lock:
                        self.sent += 1
                    start_ms, after = ms, int(rc["rcid"])
                time.sleep(self.poll)
        except (OSError, requests.RequestException):
            pass
        # dropped: no closing chunk, as a connection lost on the way
        handler.close_connection = True

    @staticmethod
    def _chunk(handler: BaseHTTPRequestHandler, text: str) -> None:
        data = text.encode("utf-8")
        handler.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        handler.wfile.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", required=True, help="the test wiki's api.php")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--drop-after", type=float, default=5.0, help="seconds before each connection is dropped")
    args = parser.parse_args()
    stub = StreamStub(args.api, args.port, drop_after=args.drop_after).start()
    print(stub.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        stub.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
