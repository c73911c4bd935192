"""The exit codes of every command, in one table (docs/DESIGN.md): the CLI, `run`'s report and
`--help` all read them from here."""

from __future__ import annotations

from wmstrategybot.errors import Locked

EXIT_DONE = 0  # done, or nothing to change
EXIT_CHANGES = 1  # `diff` only: there are changes (as diff(1) says)
EXIT_ERROR = 2  # bad config, credentials, unreadable source, a bug
EXIT_SKIPPED = 3  # a page skipped for a passing reason (retried)
EXIT_REFUSED = 4  # a guard, a hand edit in a region, the stop page
EXIT_LOCKED = 5  # another run holds the lock

#: (code, meaning) for --help and the README
EXIT_TABLE: tuple[tuple[int, str], ...] = (
    (EXIT_DONE, "done, or nothing to change"),
    (EXIT_CHANGES, "diff only: there are changes"),
    (EXIT_ERROR, "error (bad config, credentials, unreadable source)"),
    (EXIT_SKIPPED, "a page skipped for a passing reason (retried)"),
    (EXIT_REFUSED, "refused (a guard, a hand edit in a region, the stop page)"),
    (EXIT_LOCKED, "another run holds the lock"),
)


def exit_table_text() -> str:
    """The table as `--help` shows it."""
    return "Exit codes:\n\n\b\n" + "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_TABLE)


def exit_for(exc: BaseException) -> int:
    """The exit code a command ends with when `exc` stops it: the one place errors meet codes."""
    return EXIT_LOCKED if isinstance(exc, Locked) else EXIT_ERROR
