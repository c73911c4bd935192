"""`run --all --follow` and `run --all --check-follow` on the command line: their options as one
object, the signals, the stream and the job's status page put together for `job.follow`.

The job's run (`run_all`) is handed in by the command (cli.main imports it): this module stays
beside it rather than above it in the chain of imports."""

from __future__ import annotations

import functools
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click

from wmstrategybot import __version__
from wmstrategybot.config.job import JobConfig
from wmstrategybot.errors import ConfigError
from wmstrategybot.exits import EXIT_DONE, EXIT_ERROR
from wmstrategybot.job.follow import Follower, FollowSettings, check_follow, interest_in, load_record
from wmstrategybot.job.followstatus import job_status_page, save_job_status
from wmstrategybot.job.lock import run_lock
from wmstrategybot.job.report import JobReport, write_report
from wmstrategybot.model.settings import SiteConfig
from wmstrategybot.options import Options
from wmstrategybot.privacy import redact
from wmstrategybot.sources.base import Source
from wmstrategybot.sources.stream import StreamFeed, StreamSpec

RunAll = Callable[..., JobReport]


@dataclass(frozen=True)
class FollowRequest:
    """What the command line asked of the follow mode."""

    follow: bool = False
    stream: str | None = None
    debounce: float = FollowSettings.debounce
    check: bool = False
    quiet_minutes: float = 10.0

    @property
    def asked(self) -> bool:
        return self.follow or self.check


def follow_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The follow mode's options on a click command, given to it as one `follow` FollowRequest."""

    @functools.wraps(command)
    def wrapper(*args: Any, follow: bool, stream: str | None, debounce: float, check_follow: bool,
                quiet_minutes: float, **kwargs: Any) -> Any:
        if (stream or debounce != FollowSettings.debounce) and not follow:
            raise ConfigError("--stream and --debounce are used with --follow")
        request = FollowRequest(follow, stream, debounce, check_follow, quiet_minutes)
        return command(*args, follow=request, **kwargs)

    options = [
        click.option("--follow", is_flag=True,
                     help="With --all: keep running, serving what the wiki's change stream (EventStreams) says "
                          "changed within seconds; a full change check at start and hourly."),
        click.option("--stream", metavar="URL", help="With --follow: the recentchange stream's URL "
                                                     "(default: the pywikibot family's eventstreams_host)."),
        click.option("--debounce", type=click.FloatRange(0.5, 600), default=FollowSettings.debounce, show_default=True,
                     metavar="SECONDS", help="With --follow: the quiet after a burst of edits before one run serves it."),
        click.option("--check-follow", is_flag=True,
                     help="With --all: the watchdog; exit 2 if the follow job is not alive or its stream brought "
                          "no event for --quiet-minutes while the wiki had edits."),
        click.option("--quiet-minutes", type=click.FloatRange(1, 1440), default=10.0, show_default=True,
                     help="With --check-follow: how long without a stream event counts as silent."),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


class _Signals:
    """SIGTERM and SIGINT ask the loop to stop (between events, never in a save); a second
    SIGINT interrupts at once, as a person pressing Ctrl-C twice means. In a worker forked
    from the job (the parse and config workers) they do what they do by default: the pool that
    ends its worker with SIGTERM must not wait for it forever."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self._old: dict[int, Any] = {}
        self._pid = os.getpid()

    def __enter__(self) -> _Signals:
        for sig in (signal.SIGTERM, signal.SIGINT):
            self._old[sig] = signal.signal(sig, self._asked)
        return self

    def _asked(self, signum: int, frame: object) -> None:
        if os.getpid() != self._pid:  # a forked worker: the default, at once
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if signum == signal.SIGINT and self.stop.is_set():
            raise KeyboardInterrupt
        self.stop.set()

    def __exit__(self, *exc: object) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)


def _say(verbosity: int) -> Callable[[str], None]:
    def say(line: str) -> None:
        if verbosity >= 0:
            click.echo(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} follow: {redact(line)}", err=True)

    return say


def follow_job(run_all: RunAll, source: Source, job: JobConfig, path: Path, how: tuple[Options, FollowRequest, int]) -> int:
    """`run --all --follow`: until a signal; its exit code (0). `how`: the run's options, the
    follow request and the verbosity. Locked (exit 5) when another follow job holds its lock."""
    options, request, verbosity = how
    info = source.stream_info(request.stream)
    site: SiteConfig = source.wiki()
    say = _say(verbosity)
    title = job_status_page(job.status_page, source.user)
    with _Signals() as signals, run_lock(Path(f"{path}.follow")):
        options = replace(options, stopping=signals.stop.is_set)

        def serve(why: str) -> JobReport:
            report = run_all(source, path, job, site=site, options=options)
            if not options.dry_run:
                write_report(path, report)
            return report

        def open_feed(last_id: str | None, since: str | None) -> StreamFeed:
            return StreamFeed(StreamSpec(info.url, info.wiki, info.domain, last_id, since,
                                         f"wmstrategybot/{__version__} (follow mode)")).start()

        def status(line: str) -> None:
            if title is not None:
                save_job_status(source, title, job.stop_page, line)

        follower = Follower(open_feed, serve, path, lambda: interest_in(path, job, source.user),
                            clock=options.clock, stopping=signals.stop.is_set, say=say,
                            status=None if options.dry_run else status,
                            settings=FollowSettings(debounce=request.debounce))
        return follower.run()


def check_job(source: Source, path: Path, request: FollowRequest) -> int:
    """`run --all --check-follow`: one line on stdout, exit 0 (healthy) or 2 (the operator's work)."""
    if not path.exists():
        click.echo(f"wmstrategybot: follow: no state database at {path}", err=True)
        return EXIT_ERROR
    record, now, quiet = load_record(path), time.time(), request.quiet_minutes * 60
    # the job's own record first; the wiki (one request) only for a job that says it is alive
    found = check_follow(record, None, now, quiet) or check_follow(record, source.latest_change(), now, quiet)
    if found:
        click.echo(f"wmstrategybot: follow: unhealthy: {found}", err=True)
        return EXIT_ERROR
    click.echo(f"follow: healthy: stream {record.stream}, last event {record.last_event or 'none yet'}")
    return EXIT_DONE
