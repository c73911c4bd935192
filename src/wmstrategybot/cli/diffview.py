"""A unified diff made readable on a terminal: headers, removed and added lines in colour, and
within a changed pair of lines only the words that changed marked (as ``git diff
--color-words`` or pywikibot's showDiff do), so a 500-character line with one new word shows
that word. Pure: text in, text out."""

from __future__ import annotations

import difflib
import re

RED, GREEN, CYAN, BOLD, REVERSE, RESET = "\033[31m", "\033[32m", "\033[36m", "\033[1m", "\033[7m", "\033[0m"
#: words and the runs of space or punctuation between them
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def colour_diff(diff: str) -> str:
    """`diff` (unified, as ``PlannedEdit.diff`` gives it) with ANSI colours and changed words marked."""
    lines = diff.splitlines(keepends=True)
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(("--- ", "+++ ")):
            out.append(_paint(BOLD, line))
            i += 1
        elif line.startswith("@@"):
            out.append(_paint(CYAN, line))
            i += 1
        elif line.startswith("-"):
            removed = _run(lines, i, "-")
            added = _run(lines, i + len(removed), "+")
            out.extend(_pairs(removed, added))
            i += len(removed) + len(added)
        elif line.startswith("+"):
            out.append(_paint(GREEN, line))
            i += 1
        else:
            out.append(line)
            i += 1
    return "".join(out)


def _run(lines: list[str], start: int, sign: str) -> list[str]:
    end = start
    while end < len(lines) and lines[end].startswith(sign) and not lines[end].startswith(sign * 3 + " "):
        end += 1
    return lines[start:end]


def _pairs(removed: list[str], added: list[str]) -> list[str]:
    """Removed lines, then added ones; a line paired with its counterpart shows its changed words."""
    if len(removed) != len(added):
        return [_paint(RED, x) for x in removed] + [_paint(GREEN, x) for x in added]
    old_out, new_out = [], []
    for old, new in zip(removed, added, strict=True):
        o, n = _word_diff(old[1:], new[1:])
        old_out.append(RED + "-" + o)
        new_out.append(GREEN + "+" + n)
    return old_out + new_out


def _word_diff(old: str, new: str) -> tuple[str, str]:
    """The two lines with the words only one of them has in reverse video (the rest plain colour)."""
    end_old, end_new = _ending(old), _ending(new)
    a, b = _TOKEN.findall(old[: len(old) - len(end_old)]), _TOKEN.findall(new[: len(new) - len(end_new)])
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left, right = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
        else:
            left.append(_mark(old_part, RED))
            right.append(_mark(new_part, GREEN))
    return "".join(left) + RESET + end_old, "".join(right) + RESET + end_new


def _mark(text: str, colour: str) -> str:
    return f"{REVERSE}{text}{RESET}{colour}" if text else ""


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")):]


def _paint(colour: str, line: str) -> str:
    body = line.rstrip("\r\n")
    return f"{colour}{body}{RESET}{line[len(body):]}"
