"""The follow mode's pieces without a wiki, a stream or a sleep: what matters of an event, the
burst, the replay, and the loop driven by a scripted stream on a clock of the test's own
(job/changefeed.py, job/follow.py, sources/stream.py's SSE parsing)."""

from __future__ import annotations

import pytest
from helpers import DAY, MemorySource

from wmstrategybot.config.job import JobConfig
from wmstrategybot.errors import Locked, LoginFailed, SourceError
from wmstrategybot.job.changefeed import OPT_IN, PAGE, Debounce, Interest, Seen, account_name
from wmstrategybot.job.follow import (
    Follower,
    FollowRecord,
    FollowSettings,
    check_follow,
    interest_in,
    load_record,
    status_line,
)
from wmstrategybot.job.report import JobReport
from wmstrategybot.job.runall import run_all
from wmstrategybot.options import Options
from wmstrategybot.sources.base import StreamInfo
from wmstrategybot.sources.stream import StreamEvent, StreamState, sse_messages, this_wiki

ROOT = "Summit A/Documentation"
T0 = 1_800_000_000.0
_ids = iter(range(1, 10**6))


def rc(title: str, user: str = "Alice", kind: str = "edit", rcid: int | None = None, **extra) -> dict:
    """A recentchange event as the stream sends it."""
    n = rcid if rcid is not None else next(_ids)
    return {"id": n, "wiki": "testwiki", "type": kind, "title": title, "namespace": extra.pop("namespace", 0),
            "user": user, "bot": False, "meta": {"domain": "wiki.test", "dt": "2027-01-15T08:00:00Z", "id": f"m{n}"},
            "revision": {"new": n}, **extra}


# ---------------------------------------------------------------- the pure pieces


def test_interest_keeps_the_events_pages_and_leaves_the_bots_own_edits_out():
    wanted = Interest.of([ROOT, f"{ROOT}/Day 1", "Template:Event track bot", "User:Op/Stop"], "WmBot@follow",
                         frozenset({0, 4}))
    assert wanted.wants(rc(f"{ROOT}/Day_1")) == PAGE  # the stream's spelling or the config's
    assert wanted.wants(rc("Template:Event track bot")) == PAGE
    assert wanted.wants(rc("User:Op/Stop", namespace=2)) == PAGE
    assert wanted.wants(rc(f"{ROOT}/Day 1", user="WmBot")) is None  # the bot's own save
    assert wanted.wants(rc(f"{ROOT}/Day 1", kind="categorize")) is None
    assert wanted.wants(rc("Some page")) == OPT_IN  # may have the template added: discovery tells
    assert wanted.wants(rc("User:Somebody/Sandbox", namespace=2)) is None  # not where opt-ins may be
    assert wanted.wants(rc("Elsewhere", kind="log", log_params={"target": f"{ROOT}/Day 1"})) == PAGE  # moved here
    assert wanted.wants(rc("Elsewhere", kind="log")) is None
    assert account_name("wmBot@app") == "WmBot" and account_name(None) is None


def test_only_this_wikis_events_are_kept():
    keep = this_wiki(StreamInfo("http://127.0.0.1:1/v2/stream/recentchange", "testwiki", "wiki.test"))
    assert keep(rc("A")) and keep({**rc("A"), "wiki": "other"})  # its domain still says so
    assert not keep({**rc("A"), "wiki": "enwiki", "meta": {"domain": "en.wikipedia.org"}})


def test_a_burst_is_served_once_it_is_quiet_and_an_endless_one_after_the_longest_wait():
    burst = Debounce(quiet=5, longest=60)
    for n in range(20):  # an edit every half second for ten seconds
        burst.add(T0 + n * 0.5)
        assert not burst.due(T0 + n * 0.5 + 0.4)
    assert burst.due_at() == T0 + 9.5 + 5 and burst.count == 20
    assert not burst.due(T0 + 14) and burst.due(T0 + 14.5)
    endless = Debounce(quiet=5, longest=60)
    for n in range(200):
        endless.add(T0 + n)
    assert endless.due(T0 + 199) and endless.due_at() == T0 + 60
    burst.clear()
    assert burst.due_at() is None


def test_an_event_sent_again_counts_once():
    seen = Seen(size=3)
    first = rc("A", rcid=7)
    assert seen.first_time(first) and not seen.first_time(dict(first))
    for n in (8, 9, 10):
        assert seen.first_time(rc("A", rcid=n))
    assert seen.first_time(first)  # forgotten after `size` others: the run it starts finds nothing


def test_server_sent_events_are_read_as_the_standard_says():
    text = ":ok\n\nevent: message\nid: [{\"offset\": 1}]\ndata: {\"a\":\ndata: 1}\n\nretry: 10\n\ndata: x\n\n"
    assert list(sse_messages(text.split("\n"))) == [('[{"offset": 1}]', "message", '{"a":\n1}'),
                                                     ('[{"offset": 1}]', "message", "x")]


# ---------------------------------------------------------------- the loop


class Clock:
    def __init__(self, now: float = T0):
        self.now = now

    def __call__(self) -> float:
        return self.now


class ScriptedFeed:
    """The stream as a script of (seconds after T0, item); `next` moves the clock, never sleeps."""

    def __init__(self, clock: Clock, script: list[tuple[float, object]], end: float):
        self.clock, self.script, self.end = clock, sorted(script, key=lambda s: s[0]), end
        self.opened: list[tuple[str | None, str | None]] = []
        self.closed = False

    def open(self, last_id, since):
        self.opened.append((last_id, since))
        return self

    def next(self, timeout: float):
        if self.script and T0 + self.script[0][0] <= self.clock.now + timeout:
            at, item = self.script.pop(0)
            self.clock.now = max(self.clock.now, T0 + at)
            return item
        self.clock.now += timeout if timeout > 0 else 0.001
        return None

    def close(self) -> None:
        self.closed = True

    def stopping(self) -> bool:
        return self.clock.now >= T0 + self.end


def event(at: float, title: str, **kw) -> tuple[float, StreamEvent]:
    data = rc(title, **kw)
    return at, StreamEvent(f'[{{"offset": {data["id"]}}}]', data)


def follower(tmp_path, script, end, serve=None, clock=None, namespaces=None, **settings):
    clock = clock or Clock()
    feed = ScriptedFeed(clock, script, end)
    runs: list[tuple[float, str]] = []

    def count(why: str) -> JobReport:
        runs.append((clock.now - T0, why))
        return JobReport(source="test", events_found=1, events_changed=1, exit=0)

    f = Follower(feed.open, serve or count, tmp_path / "state.db",
                 lambda: Interest.of([ROOT, f"{ROOT}/Day 1"], "WmBot", namespaces), clock=clock, stopping=feed.stopping,
                 settings=FollowSettings(**settings))
    return f, feed, runs


def test_a_burst_of_twenty_edits_makes_one_run_after_the_start_check(tmp_path):
    burst = [event(10 + n * 0.5, f"{ROOT}/Day 1") for n in range(20)]
    f, feed, runs = follower(tmp_path, burst, end=120)
    assert f.run() == 0 and feed.closed
    assert [why for _, why in runs] == ["the start's full change check", "20 change(s) to the events' pages"]
    assert 19.5 + 5 <= runs[1][0] < 19.5 + 6  # five seconds of quiet after the last edit


def test_the_bots_own_saves_and_other_pages_start_no_run(tmp_path):
    script = [event(10, f"{ROOT}/Day 1", user="WmBot"), event(11, f"{ROOT}/Overview", user="WmBot@follow"),
              event(12, "User:Somebody/Sandbox", namespace=2)]
    f, _, runs = follower(tmp_path, script, end=200, namespaces=frozenset({0, 4}))
    f.run()
    assert len(runs) == 1  # the start's check only


def test_an_edit_that_may_opt_a_page_in_is_served_without_waiting_for_the_hour(tmp_path):
    f, _, runs = follower(tmp_path, [event(2, "New event"), event(3, "New event/Day 1")], end=600)
    f.run()
    assert [why for _, why in runs][1] == "2 edit(s) that may opt a page in"
    assert runs[1][0] < 120


def test_an_event_replayed_after_a_reconnection_is_served_once(tmp_path):
    once = event(10, f"{ROOT}/Day 1")
    again = (40, once[1])  # the stream resumed from an earlier id sends it again
    f, _, runs = follower(tmp_path, [once, (30, StreamState(True)), again], end=120)
    f.run()
    assert len(runs) == 2


def test_the_position_is_kept_and_a_restart_resumes_there(tmp_path):
    f, feed, _ = follower(tmp_path, [event(10, f"{ROOT}/Day 1", rcid=500), event(30, "Other", rcid=501,
                                                                                     namespace=2)],
                          end=100, namespaces=frozenset({0}))
    f.run()
    record = load_record(tmp_path / "state.db")
    assert record.last_id == '[{"offset": 501}]' and record.stream == "stopped" and record.runs == 2
    clock = Clock(T0 + 200)
    f2, feed2, _ = follower(tmp_path, [], end=210, clock=clock)
    f2.run()
    assert feed2.opened == [('[{"offset": 501}]', None)]


def test_the_position_waits_for_what_came_before_it_to_be_served(tmp_path):
    """A run that never happened (the job stopped during the burst) leaves the position before it."""
    script = [event(5, "Other", rcid=700, namespace=2), event(10, f"{ROOT}/Day 1", rcid=701),
              event(11, "Other", rcid=702, namespace=2)]
    f, _, runs = follower(tmp_path, script, end=12, namespaces=frozenset({0}))
    f.run()
    assert len(runs) == 1
    assert load_record(tmp_path / "state.db").last_id == '[{"offset": 700}]'


def test_with_the_stream_down_the_change_check_is_polled_and_the_recovery_checked(tmp_path):
    script = [(10, StreamState(False, "HTTP 503 from the stream")), (700, StreamState(True))]
    f, _, runs = follower(tmp_path, script, end=800, poll_every=180)
    said: list[str] = []
    f.say = said.append
    lines: list[str] = []
    f.status = lines.append
    f.run()
    whys = [why for _, why in runs]
    assert whys.count("the change check while the stream is down") == 3  # at 190, 370, 550 s
    assert whys[-1] == "a full change check"  # the stream back: what it missed
    assert any("down (HTTP 503 from the stream)" in s for s in said) and any("back" in s for s in said)
    assert any("The change stream is down since" in line for line in lines)
    assert "Stopped at" in lines[-1]


def test_a_held_lock_or_a_failing_wiki_is_tried_again_and_a_login_failure_ends_the_job(tmp_path):
    calls: list[float] = []
    clock = Clock()

    def serve(why):
        calls.append(clock.now - T0)
        if len(calls) == 1:
            raise Locked("another run holds the lock")
        if len(calls) == 2:
            raise SourceError("the wiki failed")
        return JobReport(source="test", exit=0)

    f, _, _ = follower(tmp_path, [], end=200, serve=serve, clock=clock)
    f.run()
    assert calls[:3] == [0, pytest.approx(15, abs=1.1), pytest.approx(75, abs=2.2)]

    def refused(why):
        raise LoginFailed("login failed")

    f, feed, _ = follower(tmp_path, [], end=200, serve=refused)
    with pytest.raises(LoginFailed):
        f.run()
    assert feed.closed


def test_the_status_line_and_the_watchdog():
    record = FollowRecord(since=T0, last_event="2027-01-15T08:00:00Z", last_served=T0 + 60, alive=T0 + 100,
                          stream="up")
    line = status_line(record)
    assert line.startswith("Following the wiki's changes since 2027-01-15T08:00:00Z, last event 2027-01-15T08:00:00Z, "
                           "last served 2027-01-15T08:01:00Z.")
    assert check_follow(record, "2027-01-15T08:05:00Z", T0 + 120, 600) is None
    assert "while the wiki had edits" in check_follow(record, "2027-01-15T08:30:00Z", T0 + 120, 600)
    assert "not been alive" in check_follow(record, None, T0 + 1000, 600)
    assert "no follow job" in check_follow(FollowRecord(), None, T0, 600)


# ---------------------------------------------------------------- with the real run --all in memory


def root_text(name: str) -> str:
    return f"Prose.\n{{{{Event track bot\n| name = {name}\n| days = Day 1\n| overview = /Overview\n}}}}\n"


def test_an_edit_in_the_stream_is_published_by_the_same_run_all(tmp_path):
    source = MemorySource({ROOT: root_text("Summit A"), f"{ROOT}/Day 1": DAY}, watchlist=True, user="WmBot")
    clock = Clock()
    path = tmp_path / "state.db"
    feed = ScriptedFeed(clock, [], end=100)

    def serve(why):
        return run_all(source, path, options=Options(clock=clock))

    f = Follower(feed.open, serve, path, lambda: interest_in(path, JobConfig(), source.user),
                 clock=clock, stopping=feed.stopping)
    # a person's edit to the Day page, told by the stream 20 s after the start
    original_next = feed.next

    def next_(timeout):
        if clock.now - T0 >= 20 and not getattr(feed, "edited", False):
            feed.edited = True
            source.edit(f"{ROOT}/Day 1", DAY + "== D1.02 / Second ==\nText.\n", user="Alice")
            return event(20, f"{ROOT}/Day 1")[1]
        return original_next(timeout)

    feed.next = next_
    assert f.run() == 0
    assert "Second" in source.pages[f"{ROOT}/Overview"]
    assert f.record.runs == 2 and f.record.last_served is not None
    assert interest_in(path, JobConfig(), "WmBot").wants(
        rc(f"{ROOT}/Overview")) == PAGE
