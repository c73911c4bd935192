"""The command line: thin click commands over the library (see docs/DESIGN.md for the contract)."""

from __future__ import annotations

import contextlib
import logging
import sys
from dataclasses import replace
from pathlib import Path

import click

from wmstrategybot import __version__
from wmstrategybot.cli.follow import FollowRequest, check_job, follow_job, follow_options
from wmstrategybot.cli.output import (
    Context,
    Failure,
    Group,
    one_line,
    quiet_broken_pipe,
    use_color,
)
from wmstrategybot.cli.progress import Progress
from wmstrategybot.config.files import load_job
from wmstrategybot.errors import ConfigError, Locked, WmError
from wmstrategybot.exits import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_REFUSED,
    EXIT_SKIPPED,
    exit_for,
    exit_table_text,
)
from wmstrategybot.extract.coverage import coverage_report, format_coverage
from wmstrategybot.extract.readback import format_outline
from wmstrategybot.extract.readback import outline as read_outline
from wmstrategybot.job.report import JobReport, RunReport, write_report
from wmstrategybot.job.run import run
from wmstrategybot.job.runall import run_all
from wmstrategybot.job.state import (
    default_job_state_path,
    default_state_path,
    legacy_state_path,
)
from wmstrategybot.job.store import store_path
from wmstrategybot.model.settings import BotConfig
from wmstrategybot.options import Options
from wmstrategybot.plan.plan import Plan
from wmstrategybot.privacy import guard_logging, redact
from wmstrategybot.publish.apply import apply
from wmstrategybot.publish.read import plan, read_event
from wmstrategybot.publish.templates import plan_templates
from wmstrategybot.sources.folder import DirSource
from wmstrategybot.sources.open import open_source


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=exit_table_text())
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Event config (TOML). Default: the bundled 2018 track.")
@click.option("--source", "source_spec", default="snapshot", show_default=True, metavar="SOURCE",
              help="snapshot | site | dump:PATH | dir:PATH")
@click.option("-v", "--verbose", count=True, help="More output (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Errors only.")
@click.option("--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Diffs in colour, changed words marked; auto: when stdout is a terminal and NO_COLOR is unset.")
@click.version_option(__version__, prog_name="wmstrategybot")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, source_spec: str, verbose: int, quiet: bool, color: str) -> None:
    """Extract an event's sessions from its wiki pages and publish generated pages back."""
    verbosity = -1 if quiet else verbose
    logging.basicConfig(level=logging.WARNING - 10 * max(verbosity, 0), format="%(levelname)s %(name)s: %(message)s")
    guard_logging(verbosity)
    ctx.obj = Context(config_path, source_spec, verbosity, use_color(color))


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the JSON here instead of stdout.")
@click.option("--report", is_flag=True,
              help="Also print, on stderr, how much of each source page's text is in the data.")
@click.option("--outline", is_flag=True,
              help="Print the outline as read on stdout (days, sessions, parts with page and line, "
                   "warnings where they apply) instead of the JSON; with -o, the JSON goes to the file too.")
@click.pass_obj
def extract(obj: Context, output: str | None, report: bool, outline: bool) -> None:
    """Event data as JSON (sessions, days, areas, working groups, signups)."""
    event, records = read_event(obj.config, obj.source)
    obj.warn(event)
    if report:
        click.echo(format_coverage(coverage_report(obj.config, records)), err=True, nl=False)
    if outline:
        click.echo(format_outline(read_outline(event)), nl=False)
    text = event.to_json()
    if output:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, "utf-8")
        obj.say(f"wrote {output}: {len(event.sessions)} sessions, {len(event.days)} days")
    elif not outline:
        click.echo(text, nl=False)


def _report_refusals(p: Plan) -> None:
    for e in p.edits:
        if e.action == "refused":
            click.echo(f"refused: {e.title}: {e.reason}", err=True)


@cli.command()
@click.option("-o", "--output", "out", type=click.Path(file_okay=False), default="out/pages", show_default=True)
@click.pass_obj
def render(obj: Context, out: str) -> None:
    """Write every target page, as it would be saved, to DIR/<title>.wikitext."""
    p = plan(obj.config, obj.source)
    obj.warn(p.warnings)
    root = Path(out)
    for e in p.edits:
        if e.new_text is None:
            continue
        root.mkdir(parents=True, exist_ok=True)
        path = DirSource(root).path_of(e.title)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(e.new_text, "utf-8")
        obj.say(f"{e.action:>9}  {path}")
    _report_refusals(p)
    if any(e.action == "refused" for e in p.edits):
        sys.exit(EXIT_REFUSED)


@cli.command()
@click.option("--stat", is_flag=True, help="One line per page instead of the full diff.")
@click.pass_obj
def diff(obj: Context, stat: bool) -> None:
    """Unified diff of each target page against its current text; exit 1 if anything would change."""
    p = plan(obj.config, obj.source)
    obj.warn(p.warnings)
    for e in p.edits:
        if e.changed:
            if stat:
                d = e.diff().splitlines()
                added = sum(1 for x in d if x.startswith("+") and not x.startswith("+++"))
                removed = sum(1 for x in d if x.startswith("-") and not x.startswith("---"))
                click.echo(f"{e.action:>9}  {e.title}  (+{added} -{removed})")
            else:
                obj.show_diff(e.diff())
    _report_refusals(p)
    if p.changed or any(e.action == "refused" for e in p.edits):
        sys.exit(EXIT_CHANGES)


def _ready_to_save(obj: Context) -> None:
    """Before anything is read for a save: a source that can be written, and logged in (a missing
    or refused login is then the one line printed, before any warning about the pages)."""
    if not obj.source.writable:
        raise Failure(f"{obj.source.describe()} is read-only; use --source dir:PATH or --source site, or --dry-run")
    obj.source.login()


def _publish(obj: Context, p: Plan, dry_run: bool) -> None:
    """Show or apply a plan; exit 4 if a page was refused or the stop page says stop (a dry run
    too: what the save would do), 3 if a page was skipped for a passing reason."""
    obj.warn(p.warnings)
    if dry_run:
        if p.stopped:
            click.echo(f"stopped: {p.stopped}", err=True)
        for e in p.edits:
            label = f"would {e.action}" if e.changed else e.action
            click.echo(f"{label:>14}  {e.title}" + (f"  ({e.reason})" if e.reason else ""))
            if e.changed and obj.verbosity > 0:
                obj.show_diff(e.diff())
        click.echo(f"summary: {p.edit_summary}")
        if p.stopped or any(e.action == "refused" for e in p.edits):
            sys.exit(EXIT_REFUSED)
        return
    _ready_to_save(obj)
    result = apply(p, obj.source, obj.config)
    if result.stopped:
        click.echo(f"stopped: {result.stopped}", err=True)
        sys.exit(EXIT_REFUSED)
    for o in result.outcomes:
        click.echo(f"{o.action:>9}  {o.title}" + (f"  ({o.reason})" if o.reason else ""))
    if result.count("refused"):
        sys.exit(EXIT_REFUSED)
    if not result.ok:
        sys.exit(EXIT_SKIPPED)


@cli.command()
@click.option("--dry-run", is_flag=True, help="Show what would be saved; save nothing (and never log in).")
@click.option("--allow-shrink", is_flag=True, help="Publish even if a generated list gets shorter or empty.")
@click.pass_obj
def publish(obj: Context, dry_run: bool, allow_shrink: bool) -> None:
    """Save the changed target pages."""
    if not dry_run:
        _ready_to_save(obj)
    _publish(obj, plan(obj.config, obj.source, Options(dry_run=dry_run, allow_shrink=allow_shrink)), dry_run)


@cli.command("run")
@click.option("--dry-run", is_flag=True, help="Plan only; save nothing and keep the state as it is.")
@click.option("--allow-shrink", is_flag=True, help="Publish even if a generated list gets shorter or empty.")
@click.option("--state", "state_path", type=click.Path(dir_okay=False),
              help="State database (default: $XDG_DATA_HOME/wmstrategybot/<event>--<source>.db); "
                   "a FILE.json (a state file of earlier versions) is migrated into FILE.db.")
@click.option("--report-json", is_flag=True, help="Print the run report as JSON on stdout.")
@click.option("--all", "all_events", is_flag=True,
              help="Serve every event that opts in on the source ({{Event track bot}}) and the job file's configs.")
@click.option("--job", "job_path", type=click.Path(dir_okay=False),
              help="With --all: the job file (TOML, [job]: operator, stop_page, throttle, maxlag, allowlist, "
                   "namespaces, configs, removal_grace_days, time_budget, run_every, status_page).")
@follow_options
@click.pass_obj
def run_command(obj: Context, dry_run: bool, allow_shrink: bool, state_path: str | None, report_json: bool,
                all_events: bool, job_path: str | None, follow: FollowRequest) -> None:
    """The scheduled entry point: extract, render, publish, with a lock, a state database and a report.

    Without --all: the one event of --config; the exit code is its outcome.

    With --all: every page of the source that calls {{Event track bot}} is an event, its
    config the template's parameters, served beside the local TOML configs of the job file
    (--job: [job] operator, stop_page, throttle, maxlag, allowlist, namespaces, configs,
    removal_grace_days, time_budget, run_every, status_page). One lock, one state database, one
    change check; an event's problem (a typo in its template, a refused page) is on its status
    page and in the report and never fails the job: exit 0 unless the job itself fails (2: login,
    the wiki, the state; 3: time budget spent; 4: the job's stop page; 5: locked). Use --source
    site for a wiki.

    --follow keeps the job running, serving each change within seconds of the wiki's change
    stream; --check-follow is its watchdog (exit 2: not alive, or the stream silent).

    The report is also written beside the state database (not by a dry run, which writes no file).
    """
    if job_path and not all_events:
        raise ConfigError("--job is used with --all")
    if follow.asked and not all_events:
        raise ConfigError("--follow and --check-follow are used with --all")
    if follow.follow and follow.check:
        raise ConfigError("--follow and --check-follow are two jobs: give one")
    if all_events and obj.config_path:
        raise ConfigError("--config is not used with run --all: list local configs in the job file "
                          "(--job FILE, [job] configs = [...])")
    progress = Progress(obj.verbosity)
    options = Options(dry_run=dry_run, allow_shrink=allow_shrink, full_run=allow_shrink, progress=progress)
    if follow.asked:
        job = load_job(job_path)
        source = open_source(obj.source_spec, limits=(job.maxlag, job.throttle))
        path = Path(state_path) if state_path else default_job_state_path(source)
        if follow.check:
            sys.exit(check_job(source, path, follow))
        sys.exit(follow_job(run_all, source, job, path, (replace(options, progress=Options().progress), follow,
                                                         obj.verbosity)))
    path: Path | None = None  # the state database (a FILE.json is migrated into it)
    try:
        try:
            if all_events:
                job = load_job(job_path)
                source = open_source(obj.source_spec, limits=(job.maxlag, job.throttle))
                if obj.source_spec == "snapshot" and obj.verbosity >= 0:
                    click.echo("note: serving the bundled 2018 snapshot (read-only); use --source site "
                               "for the wiki of user-config.py", err=True)
                path = Path(state_path) if state_path else default_job_state_path(source)
                report: RunReport | JobReport = run_all(source, path, job, site=source.wiki(), options=options)
            else:
                source = obj.source
                given = Path(state_path) if state_path else default_state_path(obj.config, source)
                path = store_path(given)
                migrate = None if state_path else legacy_state_path(obj.config, source)
                report = run(obj.config, source, given, options, migrate_from=migrate)
        finally:
            progress.clear()
    except Exception as exc:  # the report file says how every run ended, then the error goes on
        if path is not None and not dry_run:
            failed = _failed_report(obj, exc, all_events, source.describe() if all_events else obj.source_spec)
            with contextlib.suppress(OSError):  # the error itself matters more
                write_report(path, failed)
            if report_json:
                click.echo(failed.to_json(), nl=False)
        raise
    if not dry_run:
        write_report(path, report)
    _show_report(obj, report, report_json)
    sys.exit(report.exit)


def _failed_report(obj: Context, exc: BaseException, all_events: bool, source: str) -> RunReport | JobReport:
    """The report of a run that an error ended: its one line and exit code."""
    known = isinstance(exc, (WmError, OSError))
    error = one_line(exc) if known else f"internal error: {one_line(exc)}; please report this"
    outcome = "locked" if isinstance(exc, Locked) else "error"
    code = exit_for(exc) if known else EXIT_ERROR
    if all_events:
        return JobReport(source=source, outcome=outcome, exit=code, error=redact(error))
    return RunReport(event=obj._config.id if obj._config else "", source=source, outcome=outcome, exit=code,
                     error=redact(error))


def _show_report(obj: Context, report: RunReport | JobReport, as_json: bool) -> None:
    """What a run says: the warnings about the pages (each event's), then the report as JSON, or
    a line per page or event, the notes, and a summary line."""
    events = report.events if isinstance(report, JobReport) else [report]
    if isinstance(report, JobReport):
        if obj.verbosity >= 0:  # what the bot could not read, each event's, as `run` and `extract` say it
            for e in report.events:
                for warning in e.warnings:
                    click.echo(f"warning: {e.event}: {warning}", err=True)
    else:
        obj.warn(report.warnings)
    if as_json:
        click.echo(report.to_json(), nl=False)
        return
    if obj.verbosity < 0:
        return
    if isinstance(report, RunReport):
        for line in report.page_lines():
            click.echo(line)
        if report.stopped:
            click.echo(f"stopped: {report.stopped}", err=True)
        for note in report.notes:
            click.echo(f"note: {note}", err=True)
        click.echo(report.summary_line(), err=True)
        return
    for item in report.refused_pages:
        click.echo(f"note: not served: {item['reason']}", err=True)
    for note in report.notes + [f"{e.event}: {n}" for e in events for n in e.notes]:
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


@cli.group()
def templates() -> None:
    """The wiki templates the generated pages use (templates_wikitext/)."""


@templates.command("sync")
@click.option("--dry-run", is_flag=True, help="Show what would be installed; save nothing.")
@click.pass_obj
def templates_sync(obj: Context, dry_run: bool) -> None:
    """Install or update the templates and their /doc pages (with TemplateData); with `--source
    site` and no `--config`, on pywikibot's configured site, as `run --all`."""
    if obj.config_path is None and obj.source_spec == "site":
        # the templates are the wiki's, not an event's: pywikibot's configured site (as `run
        # --all`), and no event's stop page (the bundled config's names a page of another wiki)
        source = open_source("site")
        obj._source, obj._config = source, replace(obj.config, site=source.wiki(), bot=BotConfig())
    if not dry_run:
        _ready_to_save(obj)
    _publish(obj, plan_templates(obj.config, obj.source), dry_run)


def main() -> None:
    try:
        cli(prog_name="wmstrategybot")
    finally:  # what is still buffered goes out now, where a closed pipe can end quietly
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            quiet_broken_pipe()


if __name__ == "__main__":
    main()

