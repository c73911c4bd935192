"""The command line: thin click commands over the library (see docs/DESIGN.md for the contract)."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

import click

from wmstrategybot import __version__
from wmstrategybot.config.event import EventConfig, load_config
from wmstrategybot.extract.coverage import coverage_report, format_coverage
from wmstrategybot.cli.diffview import colour_diff
from wmstrategybot.errors import Locked, WmError
from wmstrategybot.model.event import Event, Notice
from wmstrategybot.privacy import guard_logging, redact
from wmstrategybot.cli.progress import Progress
from wmstrategybot.plan.plan import Plan
from wmstrategybot.publish.read import plan, plan_templates, read_event
from wmstrategybot.publish.apply import apply
from wmstrategybot.plan.lost import warning_line
from wmstrategybot.sources import DirSource, Source, open_source

from wmstrategybot.exits import (
    EXIT_CHANGES,
    EXIT_DONE,
    EXIT_ERROR,
    EXIT_LOCKED,
    EXIT_REFUSED,
    EXIT_SKIPPED,
    exit_for,
    exit_table_text,
)


class Failure(click.ClickException):
    """A user-facing error: one line on stderr, exit 2 (or the code `exits.exit_for` gives)."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, exit_code: int = EXIT_ERROR, label: str = "error: "):
        super().__init__(message)
        self.exit_code = exit_code
        self.label = label

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(f"wmstrategybot: {self.label}{redact(self.format_message())}", err=True)


def failure(exc: BaseException) -> Failure:
    """A library error as the CLI shows it: its one line and its exit code (a lock held by another
    run is no error of this one: said without "error:")."""
    code = exit_for(exc)
    return Failure(_one_line(exc), code, "" if code == EXIT_LOCKED else "error: ")


class Context:
    def __init__(self, config_path: str | None, source_spec: str, verbosity: int, color: bool = False):
        self.config_path = config_path
        self.source_spec = source_spec
        self.verbosity = verbosity
        self.color = color  # diffs in colour, changed words marked (--color)
        self._config: EventConfig | None = None
        self._source: Source | None = None

    @property
    def config(self) -> EventConfig:
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config

    @property
    def source(self) -> Source:
        if self._source is None:
            self._source = open_source(self.source_spec, self.config)
        return self._source

    def show_diff(self, diff: str) -> None:
        """A page's diff on stdout, in colour with its changed words marked when --color says so."""
        click.echo(colour_diff(diff) if self.color else diff, nl=False, color=self.color)

    def say(self, message: str) -> None:
        if self.verbosity >= 0:
            click.echo(message, err=True)

    def warn(self, warnings: Event | Sequence[Notice] | Sequence[str] | None) -> None:
        """The extraction's warnings, one ``warning: page:line: message`` line each on stderr
        (hidden by -q): every command that reads the event prints them the same way."""
        if isinstance(warnings, Event):
            warnings = warnings.warnings
        for w in warnings or ():
            self.say(f"warning: {w if isinstance(w, str) else warning_line(w)}")


class Group(click.Group):
    """Turns library errors into one line on stderr and exit 2."""

    def main(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return super().main(*args, **kwargs)
        except SystemExit as exc:
            # click ends a closed pipe outside a command (--version, --help) with exit 1, after
            # making stdout quiet: the reader has all it asked for, as in a command (exit 0)
            if exc.code == 1 and type(sys.stdout).__name__.lstrip("_") == "PacifyFlushWrapper":
                raise SystemExit(EXIT_DONE) from None
            raise

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # `wmstrategybot diff | head`: the reader has had enough
            _quiet_broken_pipe()
        except (WmError, OSError) as exc:
            raise failure(exc) from None
        except Exception as exc:  # a bug: one line to report, the traceback only at -vv
            if ctx.obj is not None and ctx.obj.verbosity >= 2:
                click.echo(redact(traceback.format_exc()), err=True, nl=False)
            raise Failure(f"internal error: {_one_line(exc)}; please report this") from None


def _quiet_broken_pipe() -> None:
    """End quietly when stdout's reader went away: no "Broken pipe" error, and no second one
    from Python flushing stdout at exit (the reader has all it asked for: exit 0)."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_DONE)


def use_color(choice: str, stream: object = None) -> bool:
    """--color: ``always``, ``never``, or ``auto`` (stdout is a terminal and NO_COLOR is unset)."""
    if choice != "auto":
        return choice == "always"
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def _one_line(exc: BaseException) -> str:
    """An error as one line: an OSError's file and reason, an exception's first line, or its type."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    text = str(exc).strip()
    if isinstance(exc, WmError) and text:
        return text.splitlines()[0]
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__


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
@click.pass_obj
def extract(obj: Context, output: str | None, report: bool) -> None:
    """Event data as JSON (sessions, days, areas, working groups, signups)."""
    event, records = read_event(obj.config, obj.source)
    obj.warn(event)
    if report:
        click.echo(format_coverage(coverage_report(obj.config, records)), err=True, nl=False)
    text = event.to_json()
    if output:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, "utf-8")
        obj.say(f"wrote {output}: {len(event.sessions)} sessions, {len(event.days)} days")
    else:
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
    _publish(obj, plan(obj.config, obj.source, allow_shrink=allow_shrink), dry_run)


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
              help="With --all: the job file (TOML, [job]: stop_page, throttle, maxlag, allowlist, namespaces, "
                   "configs, removal_grace_days).")
@click.pass_obj
def run_command(obj: Context, dry_run: bool, allow_shrink: bool, state_path: str | None, report_json: bool,
                all_events: bool, job_path: str | None) -> None:
    """The scheduled entry point: extract, render, publish, with a lock, a state database and a report.

    --all: one job for every event (README: "Serving every event"). Exit codes: see `wmstrategybot
    --help` (--all: the worst of the events'). The report is also written beside the state database.
    """
    if all_events or job_path:
        from wmstrategybot.cli.runall import run_all_command

        run_all_command(all_events=all_events, config_path=obj.config_path, source_spec=obj.source_spec,
                        verbosity=obj.verbosity, dry_run=dry_run, allow_shrink=allow_shrink,
                        state_path=state_path, report_json=report_json, job_path=job_path, progress=_progress(obj))
        return
    from wmstrategybot.job.run import RunReport, default_state_path, legacy_state_path, run, write_report
    from wmstrategybot.job.store import store_path

    given = Path(state_path) if state_path else None
    path = store_path(given) if given else None  # the database (a FILE.json is migrated into it)
    progress = _progress(obj)
    try:
        source = obj.source
        migrate_from = None
        if given is None:
            given = path = default_state_path(obj.config, source)
            migrate_from = legacy_state_path(obj.config, source)
        try:
            report = run(obj.config, source, given, dry_run=dry_run, allow_shrink=allow_shrink, progress=progress,
                         migrate_from=migrate_from)
        finally:
            progress.clear()
    except Exception as exc:  # the report file says how every run ended, then the error goes on
        if path is not None and not dry_run:
            known = isinstance(exc, (WmError, OSError))
            error = _one_line(exc) if known else f"internal error: {_one_line(exc)}; please report this"
            failed = RunReport(event=obj._config.id if obj._config else "", source=obj.source_spec,
                               outcome="locked" if isinstance(exc, Locked) else "error",
                               exit=exit_for(exc) if known else EXIT_ERROR, error=redact(error))
            with contextlib.suppress(OSError):  # the error itself matters more
                write_report(path, failed)
            if report_json:
                click.echo(failed.to_json(), nl=False)
        raise
    obj.warn(report.warnings)
    if not dry_run:
        write_report(path, report)
    text = report.to_json()
    if report_json:
        click.echo(text, nl=False)
    elif obj.verbosity >= 0:
        for item in report.edited:
            click.echo(f"{item['action']:>14}  {item['title']}")
        for item in report.skipped + report.refused:
            click.echo(f"{'skipped' if item in report.skipped else 'refused':>14}  {item['title']}  ({item['reason']})")
        if report.stopped:
            click.echo(f"stopped: {report.stopped}", err=True)
        for note in report.notes:
            click.echo(f"note: {note}", err=True)
        simulated = sum(1 for item in report.edited if item["action"] == "simulated")
        edited = (f"{len(report.edited)} to edit (dry run)" if dry_run
                  else f"{simulated} simulated (pywikibot's simulate, nothing saved)" if simulated
                  else f"{len(report.edited)} edited")
        click.echo(f"{report.outcome}: {report.pages_checked} pages checked ({report.check}), {report.pages_parsed} parsed, "
                   f"{edited}, {report.api_requests if report.api_requests is not None else '-'} "
                   f"API requests, {report.seconds:.2f} s", err=True)
    sys.exit(report.exit)


def _progress(obj: Context) -> Progress:
    return Progress(obj.verbosity)


@cli.group()
def templates() -> None:
    """The wiki templates the generated pages use (templates_wikitext/)."""


@templates.command("sync")
@click.option("--dry-run", is_flag=True, help="Show what would be installed; save nothing.")
@click.pass_obj
def templates_sync(obj: Context, dry_run: bool) -> None:
    """Install or update the templates and their /doc pages (with TemplateData); with `--source
    site` and no `--config`, on pywikibot's configured site, as `run --all`."""
    if obj.config_path is None and obj.source_spec == "site":  # the templates are the wiki's, not an event's
        from wmstrategybot.cli.runall import templates_site

        obj._source, obj._config = templates_site(obj.config)
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
            _quiet_broken_pipe()

