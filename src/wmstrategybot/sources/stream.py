"""The wiki's change stream: Wikimedia's EventStreams ``recentchange`` (Server-Sent Events),
read on requests in a thread of its own and handed over as a queue of this wiki's changes.

A small reader of our own rather than `requests-sse` (what pywikibot's EventStreams needs):
that one sleeps inside `next()` between reconnections, where a stop could not end it, and
hides the drops this reader reports. A drop is resumed at once from the last event's id
(``Last-Event-ID``), then after 1, 2, 4 ... 60 s; a failed connection says the stream is down.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests

from wmstrategybot.sources.base import StreamInfo

#: the stream the follow mode reads, under the family's ``eventstreams_host`` and path
STREAM = "recentchange"
#: seconds between reconnections after a failure, doubled each time up to the last
BACKOFF = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0)
#: this wiki's events waiting to be taken; past it the oldest are dropped and a full check is due
QUEUE_SIZE = 50_000


@dataclass(frozen=True)
class StreamEvent:
    """One event of the stream: its SSE id (the position to resume from) and its JSON."""

    id: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class StreamState:
    """The stream connected (`up`) or not: why, and whether events were lost (a full queue)."""

    up: bool
    reason: str = ""
    lost: bool = False


FeedItem = StreamEvent | StreamState


def sse_messages(lines: Iterable[str]) -> Iterator[tuple[str | None, str, str]]:
    """The messages of an SSE text, line by line: (last id, event type, data), as the
    EventSource standard dispatches them (comments and ``retry:`` ignored)."""
    last_id: str | None = None
    kind, data = "", []
    for line in lines:
        if line == "":
            if data:
                yield last_id, kind or "message", "\n".join(data)
            kind, data = "", []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            data.append(value)
        elif name == "id" and "\x00" not in value:
            last_id = value
        elif name == "event":
            kind = value


def this_wiki(info: StreamInfo) -> Callable[[dict[str, Any]], bool]:
    """Whether an event is of the wiki `info` names (the stream carries every wiki's)."""

    def keep(data: dict[str, Any]) -> bool:
        meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
        return data.get("wiki") == info.wiki or (bool(info.domain) and meta.get("domain") == info.domain)

    return keep


@dataclass
class StreamFeed:
    """The stream read in a thread, this wiki's events in a queue (`next`); `close` ends it.

    `last_id`/`since` say where to begin (an id kept from before, or an ISO 8601 time; neither:
    now); later connections resume from the last event read.
    """

    url: str
    keep: Callable[[dict[str, Any]], bool]
    last_id: str | None = None
    since: str | None = None
    user_agent: str = "wmstrategybot"
    #: seconds to connect, and to wait for the next byte before counting the connection lost
    timeout: tuple[float, float] = (10.0, 60.0)
    connections: int = 0
    #: events read (every wiki's)
    read_count: int = 0
    _queue: queue.Queue[FeedItem] = field(default_factory=lambda: queue.Queue(QUEUE_SIZE))
    _closed: threading.Event = field(default_factory=threading.Event)
    _response: requests.Response | None = None

    def start(self) -> StreamFeed:
        threading.Thread(target=self._read, name="change-stream", daemon=True).start()
        return self

    def next(self, timeout: float) -> FeedItem | None:
        """The next item, waiting at most `timeout` seconds (None: nothing came)."""
        try:
            return self._queue.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None

    def close(self) -> None:
        self._closed.set()
        response = self._response
        if response is not None:
            try:
                response.close()
            except Exception:  # closing a socket another thread reads from: best effort
                pass

    def _put(self, item: FeedItem) -> None:
        try:
            self._queue.put_nowait(item)
        except queue.Full:  # taken by nobody for long: start again from a full check
            with self._queue.mutex:
                self._queue.queue.clear()
            self._queue.put_nowait(StreamState(True, "events were dropped while the bot was busy", lost=True))

    def _address(self) -> tuple[str, dict[str, str]]:
        headers = {"Accept": "text/event-stream", "User-Agent": self.user_agent}
        if self.last_id:
            return self.url, {**headers, "Last-Event-ID": self.last_id}
        if self.since:
            return f"{self.url}{'&' if '?' in self.url else '?'}{urlencode({'since': self.since})}", headers
        return self.url, headers

    def _read(self) -> None:
        failures, up = 0, None
        with requests.Session() as http:
            while not self._closed.is_set():
                url, headers = self._address()
                read_before, opened, connected = self.read_count, time.monotonic(), False
                try:
                    with http.get(url, headers=headers, stream=True, timeout=self.timeout) as response:
                        self._response = response
                        if response.status_code != 200:
                            raise requests.HTTPError(f"HTTP {response.status_code} from the stream")
                        self.connections += 1
                        connected = True
                        if up is not True:
                            self._put(StreamState(True))
                            up = True
                        self._messages(response)
                    ok = self.read_count > read_before or time.monotonic() - opened > 1.0
                    why = "the stream closed at once"
                except Exception as exc:  # requests' and urllib3's (an AttributeError once closed): never the end of the thread
                    ok = connected and (self.read_count > read_before or time.monotonic() - opened > 1.0)
                    why = _why(exc)
                finally:
                    self._response = None
                if self._closed.is_set():
                    break
                if ok:  # a drop after a while connected: resumed at once
                    failures = 0
                    continue
                failures += 1
                if failures >= 2 and up is not False:  # a second failure in a row: the stream is down
                    self._put(StreamState(False, why))
                    up = False
                self._closed.wait(BACKOFF[min(failures - 1, len(BACKOFF) - 1)])

    def _messages(self, response: requests.Response) -> None:
        lines = response.iter_lines(chunk_size=None, decode_unicode=True)
        for last_id, kind, data in sse_messages(line or "" for line in lines):
            if self._closed.is_set():
                return
            if kind != "message":
                continue
            try:
                event = json.loads(data)
            except ValueError:
                continue
            self.read_count += 1
            if last_id:
                self.last_id = last_id
            if isinstance(event, dict) and self.keep(event):
                self._put(StreamEvent(last_id, event))


def _why(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
