"""What every command shares: its context (config, source, verbosity), how it says things on
stderr, and how a library error becomes one line and an exit code."""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Sequence

import click

from wmstrategybot.cli.diffview import colour_diff
from wmstrategybot.config.files import load_config
from wmstrategybot.errors import WmError
from wmstrategybot.exits import EXIT_DONE, EXIT_ERROR, EXIT_LOCKED, exit_for
from wmstrategybot.model.event import Event, Notice
from wmstrategybot.model.settings import EventConfig
from wmstrategybot.plan.lost import warning_line
from wmstrategybot.privacy import redact
from wmstrategybot.sources.base import Source
from wmstrategybot.sources.open import open_source


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
    return Failure(one_line(exc), code, "" if code == EXIT_LOCKED else "error: ")


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
            quiet_broken_pipe()
        except (WmError, OSError) as exc:
            raise failure(exc) from None
        except Exception as exc:  # a bug: one line to report, the traceback only at -vv
            if ctx.obj is not None and ctx.obj.verbosity >= 2:
                click.echo(redact(traceback.format_exc()), err=True, nl=False)
            raise Failure(f"internal error: {one_line(exc)}; please report this") from None


def quiet_broken_pipe() -> None:
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


def one_line(exc: BaseException) -> str:
    """An error as one line: an OSError's file and reason, an exception's first line, or its type."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    text = str(exc).strip()
    if isinstance(exc, WmError) and text:
        return text.splitlines()[0]
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__
