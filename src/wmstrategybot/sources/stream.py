"""The wiki's change stream: Wikimedia's EventStreams ``recentchange`` (Server-Sent Events),
read on requests in a process of its own and handed over through a pipe, this wiki's changes only.

A small reader of our own rather than `requests-sse` (what pywikibot's EventStreams needs):
that one sleeps inside `next()` between reconnections, where a stop could not end it, and
hides the drops this reader reports. A drop is resumed at once from the last event's id
(``Last-Event-ID``), then after 1, 2, 4 ... 60 s; a failed connection says the stream is down.
"""

from __future__ import annotations

import json
import multiprocessing
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

import requests

from wmstrategybot.sources.base import StreamInfo

#: the stream the follow mode reads, under the family's ``eventstreams_host`` and path
STREAM = "recentchange"
#: seconds between reconnections after a failure, doubled each time up to the last
BACKOFF = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0)


@dataclass(frozen=True)
class StreamEvent:
    """One event of the stream: its SSE id (the position to resume from) and its JSON."""

    id: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class StreamState:
    """The stream connected (`up`) or not: why, and whether events may have been missed (then a
    full change check is due)."""

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


@dataclass(frozen=True)
class StreamSpec:
    """What the reader needs: where the stream is, which wiki's events to keep, where to begin
    (an id kept from before, or an ISO 8601 time; neither: now)."""

    url: str
    wiki: str
    domain: str
    last_id: str | None = None
    since: str | None = None
    user_agent: str = "wmstrategybot"
    #: seconds to connect, and to wait for the next byte before counting the connection lost
    timeout: tuple[float, float] = (10.0, 60.0)


class StreamFeed:
    """The stream read in a process of its own, this wiki's events sent over a pipe (`next`).

    A process, not a thread: the job forks workers to parse pages under a time bound, and a
    fork taken while another thread holds a lock (the reader's, urllib3's) leaves the worker
    waiting on it forever. The pipe also holds the reader back while the job is busy: what it
    has not sent it has not read, and a reconnection resumes from the last event sent.
    """

    def __init__(self, spec: StreamSpec):
        self.spec = spec
        self.last_id = spec.last_id
        self._process: Any = None
        self._conn: Any = None

    def start(self) -> StreamFeed:
        context = multiprocessing.get_context("spawn")
        receiving, sending = context.Pipe(duplex=False)
        spec = replace(self.spec, last_id=self.last_id)
        self._process = context.Process(target=read_stream, args=(spec, sending), name="change-stream", daemon=True)
        self._process.start()
        sending.close()
        self._conn = receiving
        return self

    def next(self, timeout: float) -> FeedItem | None:
        """The next item, waiting at most `timeout` seconds (None: nothing came). A reader that
        ended is started again from the last event."""
        try:
            if not self._conn.poll(max(timeout, 0.0)):
                return None
            item: FeedItem = self._conn.recv()
        except (EOFError, OSError):
            self.close()
            self.start()
            return StreamState(False, "the stream reader ended; started again")
        if isinstance(item, StreamEvent) and item.id:
            self.last_id = item.id
        return item

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            self._process.terminate()
            self._process.join(5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join(5)
        self._process = self._conn = None


def read_stream(spec: StreamSpec, conn: Any) -> None:
    """The reader process: read, resume, report, until the job ends it (or the pipe closes)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the job's to act on
    try:
        _Reader(spec, conn.send).run()
    except (BrokenPipeError, EOFError, OSError):
        pass


class _Reader:
    """One connection after another, from the last event's id."""

    def __init__(self, spec: StreamSpec, put: Callable[[FeedItem], None]):
        self.spec, self.put = spec, put
        self.keep = this_wiki(StreamInfo(spec.url, spec.wiki, spec.domain))
        self.last_id = spec.last_id
        self.read_count = 0

    def _address(self) -> tuple[str, dict[str, str]]:
        headers = {"Accept": "text/event-stream", "User-Agent": self.spec.user_agent}
        if self.last_id:
            return self.spec.url, {**headers, "Last-Event-ID": self.last_id}
        if self.spec.since:
            url = self.spec.url
            return f"{url}{'&' if '?' in url else '?'}{urlencode({'since': self.spec.since})}", headers
        return self.spec.url, headers

    def run(self) -> None:
        failures, up = 0, None
        with requests.Session() as http:
            while True:
                url, headers = self._address()
                read_before, opened, connected = self.read_count, time.monotonic(), False
                try:
                    with http.get(url, headers=headers, stream=True, timeout=self.spec.timeout) as response:
                        if response.status_code != 200:
                            raise requests.HTTPError(f"HTTP {response.status_code} from the stream")
                        connected = True
                        if up is not True:
                            self.put(StreamState(True))
                            up = True
                        self._messages(response)
                    ok = self.read_count > read_before or time.monotonic() - opened > 1.0
                    why = "the stream closed at once"
                except (BrokenPipeError, EOFError):
                    raise  # the job is gone
                except Exception as exc:  # requests', urllib3's: the end of a connection, never of the reader
                    ok = connected and (self.read_count > read_before or time.monotonic() - opened > 1.0)
                    why = _why(exc)
                if ok:  # a drop after a while connected: resumed at once
                    failures = 0
                    continue
                failures += 1
                if failures >= 2 and up is not False:  # a second failure in a row: the stream is down
                    self.put(StreamState(False, why))
                    up = False
                time.sleep(BACKOFF[min(failures - 1, len(BACKOFF) - 1)])

    def _messages(self, response: requests.Response) -> None:
        lines = response.iter_lines(chunk_size=None, decode_unicode=True)
        for last_id, kind, data in sse_messages(line or "" for line in lines):
            if kind != "message":
                continue
            try:
                event = json.loads(data)
            except ValueError:
                continue
            self.read_count += 1
            if isinstance(event, dict) and self.keep(event):
                self.put(StreamEvent(last_id, event))
            if last_id:  # after the send: a reconnection resumes from what the job has
                self.last_id = last_id


def _why(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
