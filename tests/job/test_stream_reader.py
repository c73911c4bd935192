"""The change stream's reader (sources/stream.py) against a small SSE server on 127.0.0.1: this
wiki's events only, in order, and a dropped connection resumed from the last event's id."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from wmstrategybot.sources.stream import StreamEvent, StreamFeed, StreamSpec, StreamState


def _server(bodies: list[str], seen: list[str | None]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802
            seen.append(self.headers.get("Last-Event-ID"))
            body = bodies[min(len(seen) - 1, len(bodies) - 1)].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(f"{len(body):x}\r\n".encode() + body + b"\r\n")
            self.wfile.flush()
            time.sleep(0.3)
            self.close_connection = True  # dropped, no closing chunk

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _message(n: int, wiki: str) -> str:
    data = {"id": n, "wiki": wiki, "type": "edit", "title": f"Page {n}", "meta": {"domain": f"{wiki}.test"}}
    return f"id: [{{\"offset\": {n}}}]\ndata: {json.dumps(data)}\n\n"


def test_the_reader_keeps_this_wikis_events_and_resumes_after_a_drop():
    seen: list[str | None] = []
    server = _server([":ok\n\n" + _message(1, "testwiki") + _message(2, "otherwiki"),
                      _message(3, "testwiki"), ":\n\n"], seen)
    url = f"http://127.0.0.1:{server.server_address[1]}/v2/stream/recentchange"
    feed = StreamFeed(StreamSpec(url, "testwiki", "testwiki.test", timeout=(5, 5))).start()
    got = []
    deadline = time.monotonic() + 30
    try:
        while len([i for i in got if isinstance(i, StreamEvent)]) < 2 and time.monotonic() < deadline:
            item = feed.next(0.5)
            if item is not None:
                got.append(item)
    finally:
        feed.close()
        server.shutdown()
    assert got[0] == StreamState(True)
    assert [i.data["id"] for i in got if isinstance(i, StreamEvent)] == [1, 3]
    assert seen[:2] == [None, '[{"offset": 2}]']  # resumed after the last event read, any wiki's
    assert feed.last_id == '[{"offset": 3}]'
