"""Progress lines on stderr for the long commands (`run`, `run --all`)."""

from __future__ import annotations

import sys

import click


class Progress:
    """Progress lines on stderr: rewritten in place on a terminal (and cleared before anything
    else is printed), plain lines under cron, none with -q."""

    def __init__(self, verbosity: int, stream: object = None):
        self.stream = stream or sys.stderr
        self.quiet = verbosity < 0
        isatty = getattr(self.stream, "isatty", None)
        self.in_place = bool(isatty and isatty())
        self.shown = False  # a line in place is on the terminal, not yet cleared

    def __call__(self, message: str) -> None:
        if self.quiet:
            return
        if self.in_place:
            click.echo(f"\r\033[K{message}...", file=self.stream, nl=False)  # type: ignore[arg-type]
            self.shown = True
        else:
            click.echo(message, file=self.stream)  # type: ignore[arg-type]

    def clear(self) -> None:
        """Take the line in place away, so that what comes next starts at the line's start."""
        if self.shown:
            click.echo("\r\033[K", file=self.stream, nl=False)  # type: ignore[arg-type]
            self.shown = False
