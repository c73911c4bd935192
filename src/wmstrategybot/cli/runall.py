"""The command body of `run --all` (cli.py's `run` hands over to it): the job file, the source
(pywikibot's configured site for ``--source site``), the job's run, its report and exit code."""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import click

from wmstrategybot.config.event import BotConfig, EventConfig, SiteConfig
from wmstrategybot.errors import ConfigError, Locked, SourceError, WmError
from wmstrategybot.exits import EXIT_ERROR, exit_for
from wmstrategybot.config.job import JobConfig, load_job
from wmstrategybot.job.jobreport import JobReport
from wmstrategybot.privacy import redact, write_private
from wmstrategybot.job.runall import run_all
from wmstrategybot.job.report import report_path
from wmstrategybot.sources import Source, open_source


def default_job_state_path(source: Source) -> Path:
    """The job's state database, beside the single-event default:
    ``$XDG_DATA_HOME/wmstrategybot/all--<source>.db``."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    slug = "".join(c if c.isalnum() or c in "-." else "-" for c in source.describe()).strip("-")
    return base / "wmstrategybot" / f"all--{slug}.db"


def job_source(spec: str, job: JobConfig) -> tuple[Source, SiteConfig]:
    """The source of the job, and the wiki on-wiki configs are read for: ``site`` is pywikibot's
    configured site (user-config.py's family and mylang), with the job's maxlag and throttle."""
    if spec != "site":
        return open_source(spec), SiteConfig()
    from wmstrategybot.sources.site import SiteSource, apply_limits

    try:  # before the site exists: pywikibot's throttle reads put_throttle when it is made
        apply_limits(job.maxlag, job.throttle)
    except Exception as exc:  # pywikibot refuses to import without a usable config
        raise SourceError(f"cannot load pywikibot: {str(exc).splitlines()[0] if str(exc) else exc!r}") from None
    source = open_source("site", None)
    assert isinstance(source, SiteSource)
    return source, SiteConfig(family=source.site.family.name, code=source.site.code)


def templates_site(config: EventConfig) -> tuple[Source, EventConfig]:
    """`templates sync --source site` without `--config`: pywikibot's configured site (as `run
    --all`), and no event's stop page (the bundled config's names a page of another wiki)."""
    source, site = job_source("site", JobConfig())
    return source, replace(config, site=site, bot=BotConfig())


def write_job_report(db_path: Path, report: JobReport) -> None:
    """The job's report beside its state database (0600), rewritten by every run."""
    if not report.time:
        report.time = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    write_private(report_path(db_path), report.to_json())


def run_all_command(*, all_events: bool, config_path: str | None, source_spec: str, verbosity: int, dry_run: bool,
                    allow_shrink: bool, state_path: str | None, report_json: bool, job_path: str | None,
                    progress: object) -> None:
    """`run --all`: exits with the worst exit code of the events (5 when locked)."""
    if not all_events:
        raise ConfigError("--job is used with --all")
    if config_path:
        raise ConfigError("--config is not used with run --all: list local configs in the job file "
                          "(--job FILE, [job] configs = [...])")
    job = load_job(job_path)
    source, site = job_source(source_spec, job)
    db_path = Path(state_path) if state_path else default_job_state_path(source)
    try:
        try:
            report = run_all(source, db_path, job, site=site, dry_run=dry_run, allow_shrink=allow_shrink,
                             progress=progress)  # type: ignore[arg-type]
        finally:
            progress.clear()  # type: ignore[attr-defined]
    except Exception as exc:  # the report file says how every run ended, then the error goes on
        if not dry_run:
            known = isinstance(exc, (WmError, OSError))
            failed = JobReport(source=source.describe(), outcome="locked" if isinstance(exc, Locked) else "error",
                               exit=exit_for(exc) if known else EXIT_ERROR,
                               error=redact(str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
            with contextlib.suppress(OSError):
                write_job_report(db_path, failed)
            if report_json:
                click.echo(failed.to_json(), nl=False)
        raise
    if not dry_run:
        write_job_report(db_path, report)
    if verbosity >= 0:  # what the bot could not read, each event's, as `run` and `extract` say it
        for e in report.events:
            for warning in e.warnings:
                click.echo(f"warning: {e.event}: {warning}", err=True)
    if report_json:
        click.echo(report.to_json(), nl=False)
    elif verbosity >= 0:
        for item in report.refused_pages:
            click.echo(f"note: not served: {item['reason']}", err=True)
        for note in report.notes + [f"{e.event}: {n}" for e in report.events for n in e.notes]:
            click.echo(f"note: {note}", err=True)
        if report.removed:
            click.echo(f"note: {len(report.removed)} event(s) no longer opt in, not served: "
                       f"{', '.join(report.removed[:5])}", err=True)
        lines = report.lines()
        for e, line in zip(report.events, lines):
            click.echo(line)
            for item in e.skipped + e.refused:
                click.echo(f"{'skipped' if item in e.skipped else 'refused':>16}  {item['title']}  ({item['reason']})")
        click.echo(lines[-1], err=True)
    sys.exit(report.exit)
