"""The local EventStreams stand-in (scripts/eventstream_stub.py) against the test wiki: what
the follow mode's tests rely on it for. No package provides Wikimedia's service."""

from __future__ import annotations

import json
import secrets
import sys
import time

import pytest
import requests
from helpers import REPO

pytestmark = pytest.mark.wiki
if str(REPO / "scripts") not in sys.path:
    sys.path.insert(0, str(REPO / "scripts"))


def _events(url: str, headers: dict[str, str] | None = None, seconds: float = 30.0):
    """(id, event) pairs read from one connection until the stub drops it (or `seconds`)."""
    out = []
    deadline = time.monotonic() + seconds
    with requests.get(url, headers=headers or {}, stream=True, timeout=(5, 10)) as resp:
        assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/event-stream")
        last_id, data = None, []
        try:
            for raw in resp.iter_lines(chunk_size=None, decode_unicode=True):
                if raw.startswith("id: "):
                    last_id = raw[4:]
                elif raw.startswith("data: "):
                    data.append(raw[6:])
                elif raw == "" and data:
                    out.append((last_id, json.loads("\n".join(data))))
                    data = []
                if time.monotonic() > deadline:
                    break
        except requests.exceptions.ChunkedEncodingError:
            pass  # the drop
    return out


@pytest.fixture
def stub(wiki):
    import eventstream_stub

    with eventstream_stub.StreamStub(wiki.api_url, drop_after=2.0) as s:
        yield s


def test_the_stub_serves_the_wikis_changes_with_ids_since_and_drops(stub, admin):
    title = f"Stream stub {secrets.token_hex(3)}"
    first = admin.edit(title, "one", "first")
    admin.edit(title, "two", "second")
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 120))
    got = [(i, e) for i, e in _events(f"{stub.url}?since={since}") if e["title"] == title]
    assert [e["type"] for _, e in got] == ["new", "edit"]
    _, event = got[0]
    assert event["wiki"] == stub.wiki and event["meta"]["domain"] == stub.domain
    assert event["meta"]["uri"].endswith(title.replace(" ", "_")) and event["namespace"] == 0
    assert event["user"] == admin.user.split("@")[0] and event["bot"] is False and isinstance(event["timestamp"], int)
    assert event["revision"]["new"] == first["newrevid"]
    # resumed after the first: only the second comes again
    again = [e for _, e in _events(stub.url, {"Last-Event-ID": got[0][0]}) if e["title"] == title]
    assert [e["type"] for e in again] == ["edit"]
    assert len(stub.connections) == 2 and stub.connections[1]["last_event_id"] == got[0][0]


def test_the_stub_down_refuses_connections(stub):
    stub.down = True
    assert requests.get(stub.url, timeout=5).status_code == 503
    assert stub.refused == 1
