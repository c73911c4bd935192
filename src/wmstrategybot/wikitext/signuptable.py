"""Signup tables on a wiki page: sections, wikitable rows, cells, signatures. Pure.

Rows are read from a masked copy of the page (comments and <nowiki> blanked) so that a
'|' or '|-' inside them cannot make or split a row, and each row keeps its raw text and
first line, which is what the publishing guard compares before and after an edit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from wmstrategybot.model.event import MONTHS
from wmstrategybot.wikitext.clean import clean
from wmstrategybot.wikitext.scan import separators_outside
from wmstrategybot.wikitext.text import heading, mask, plain_line

SIGNATURE_TIME = re.compile(
    rf"(?P<h>\d{{1,2}}):(?P<m>\d{{2}}), (?P<d>\d{{1,2}}) (?P<month>{'|'.join(MONTHS)}) (?P<y>\d{{4}}) \(UTC\)"
)
USER_LINK = re.compile(
    r"\[\[\s*(?:User|User talk|Special:Contributions)\s*[:/]\s*(?P<user>[^|\]/#]+)", re.I
)
_STRUCK = re.compile(r"<\s*(s|del|strike)\b", re.I)


@dataclass
class Row:
    """One data row of a wikitable: raw text, 1-based first line, cells (raw wikitext).

    `columns` are the cells as the table shows them: a cell spanning rows from above
    (rowspan) is repeated there, so that fields line up with the header.
    """

    line: int
    text: str
    cells: list[str]
    header: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    #: a cell holds a single '|' outside links and templates: cells written with '|' between
    #: them, which MediaWiki shows as one cell ('||' or one cell a line separate cells)
    single_pipes: bool = False

    @property
    def user(self) -> str | None:
        m = USER_LINK.search(self.text)
        return m.group("user").strip().replace("_", " ") if m else None

    @property
    def timestamp(self) -> str | None:
        m = SIGNATURE_TIME.search(mask(self.text))
        if not m or int(m.group("d")) > 31 or int(m.group("h")) > 23 or int(m.group("m")) > 59:
            return None
        month = MONTHS.index(m.group("month")) + 1
        return f"{m.group('y')}-{month:02d}-{int(m.group('d')):02d}T{int(m.group('h')):02d}:{m.group('m')}:00Z"

    @property
    def signature(self) -> str:
        """The cell holding the signature timestamp (or the last cell naming a user)."""
        for cell in reversed(self.cells):
            if SIGNATURE_TIME.search(cell):
                return cell.strip()
        for cell in reversed(self.cells):
            if USER_LINK.search(cell):
                return cell.strip()
        return ""

    @property
    def signed(self) -> bool:
        return self.timestamp is not None or self.user is not None

    @property
    def withdrawn(self) -> bool:
        return bool(_STRUCK.search(mask(self.text)))

    @property
    def fields(self) -> list[tuple[str, str]]:
        out = []
        for i, cell in enumerate(self.columns or self.cells):
            name = self.header[i] if i < len(self.header) and self.header[i] else f"column {i + 1}"
            out.append((name, clean(cell)))
        return out


def _split_cells(masked: str, original: str, sep: str) -> list[str]:
    """Split a cell line at `sep` outside [[...]] and {{...}}; content taken from `original`."""
    cuts = separators_outside(masked, sep)
    return [original[a:b] for a, b in zip([0, *(c + len(sep) for c in cuts)], [*cuts, len(original)])]


_ROWSPAN = re.compile(r"\browspan\s*=\s*[\"']?(\d+)", re.I)


def _cell_parts(masked: str, original: str) -> tuple[str, str]:
    """(attributes, content) of a cell: `style="x" | text` -> ('style="x"', 'text')."""
    parts = _split_cells(masked, original, "|")
    if len(parts) > 1 and "=" in parts[0] and "[" not in parts[0] and "{" not in parts[0]:
        return parts[0].strip(), "|".join(parts[1:]).strip()
    return "", original.strip()


def _cell_content(masked: str, original: str) -> str:
    """Drop a cell's attributes: `style="x" | text` -> `text`."""
    return _cell_parts(masked, original)[1]


def _lay_out(rows: list[Row], spans: list[tuple[int, list[str]]]) -> None:
    """Fill each row's `columns`, repeating cells that span rows from above."""
    pending: dict[int, tuple[int, str]] = {}  # column -> (rows left, content)
    for row, (_, attrs) in zip(rows, spans, strict=False):
        columns: list[str] = []
        cells = iter(zip(row.cells, attrs))
        col = 0
        while True:
            if col in pending:
                left, content = pending[col]
                columns.append(content)
                pending[col] = (left - 1, content)
                if left - 1 <= 0:
                    del pending[col]
                col += 1
                continue
            nxt = next(cells, None)
            if nxt is None:
                break
            content, attr = nxt
            m = _ROWSPAN.search(attr)
            if m and int(m.group(1)) > 1:
                pending[col] = (int(m.group(1)) - 1, content)
            columns.append(content)
            col += 1
        row.columns = columns


def table_rows(text: str, first_line: int = 1, *, regions: bool = True, columns: bool = True) -> Iterator[Row]:
    """Every data row (a row with at least one '|' cell) of every wikitable in `text`.

    `columns` False leaves each row's `columns` empty: laying cells out under rowspans costs
    rows x spanned columns, which the signature guard does not need.
    """
    masked_lines = mask(text, regions=regions).split("\n")
    lines = text.split("\n")
    depth = 0
    header: list[str] = []
    rows: list[Row] = []
    attrs: list[list[str]] = []
    row: Row | None = None
    # A row's text and its last cell grow line by line: kept as lists, joined once (adding to
    # a string each line copies it each time, quadratic in a cell of many lines).
    row_text: list[str] = []
    last_cell: list[str] = []

    def flush_cell() -> None:
        if row is not None and last_cell:
            row.cells[-1] = "".join(last_cell)
            last_cell.clear()

    def finish_row() -> None:
        nonlocal row
        flush_cell()
        if row is not None and row.cells:
            row.text = "".join(row_text).rstrip("\n")
            rows.append(row)
        row = None
        row_text.clear()

    def finish_table() -> Iterator[Row]:
        finish_row()
        if columns:
            _lay_out(rows, list(enumerate(attrs)))
        yield from rows
        rows.clear()
        attrs.clear()

    for i, (m, o) in enumerate(zip(masked_lines, lines)):
        s = m.lstrip()
        lead = len(m) - len(s)
        if s.startswith("{|"):
            depth += 1
            if depth == 1:
                header = []
            continue
        if depth == 0:
            continue
        if s.startswith("|}"):
            if depth == 1:
                yield from finish_table()
            depth -= 1
            continue
        if depth > 1:
            if row is not None:
                row_text.append(o + "\n")
            continue
        if s.startswith("|-"):
            finish_row()
            row = Row(first_line + i, "", [], header)
            continue
        if s.startswith("|+"):
            continue
        if s.startswith("!"):
            ms, os_ = s[1:].replace("||", "!!"), o[lead + 1 :].replace("||", "!!")
            for mc, oc in zip(_split_cells(ms, ms, "!!"), _split_cells(ms, os_, "!!")):
                header.append(plain_line(_cell_content(mc, oc)))
            continue
        if s.startswith("|"):
            if row is None:
                row = Row(first_line + i, "", [], header)
            flush_cell()
            if not row.cells:
                row.line = first_line + i
                attrs.append([])
            mcells = _split_cells(s[1:], s[1:], "||")
            ocells = _split_cells(s[1:], o[lead + 1 :], "||")
            for mc, oc in zip(mcells, ocells):
                attr, content = _cell_parts(mc, oc)
                row.cells.append(content)
                attrs[-1].append(attr)
                if separators_outside(_cell_parts(mc, mc)[1], "|"):
                    row.single_pipes = True
            row_text.append(o + "\n")
            continue
        if row is not None and row.cells:
            # (cell + "\n" + line).strip(), the cell being stripped already
            if not last_cell:
                last_cell.append(row.cells[-1])
            if last_cell == [""]:
                last_cell[0] = o.strip()
            elif o.strip():
                last_cell.append("\n" + o.rstrip())
            row_text.append(o + "\n")
    if depth:
        yield from finish_table()


def unclosed_table(text: str) -> bool:
    """True if a wikitable of the page is opened with {| and never closed with |}."""
    return bool(unclosed_tables(text))


def unclosed_tables(text: str) -> list[int]:
    """The 1-based lines of the ``{|`` of every wikitable never closed with ``|}``."""
    opened: list[int] = []
    for i, line in enumerate(mask(text).split("\n")):
        s = line.lstrip()
        if s.startswith("{|"):
            opened.append(i + 1)
        elif s.startswith("|}") and opened:
            opened.pop()
    return opened


def sections(text: str) -> list[tuple[str | None, int, int]]:
    """(title, first line index, end line index) of the page's lead and `==` sections."""
    masked = mask(text).split("\n")
    out: list[tuple[str | None, int, int]] = []
    title: str | None = None
    start = 0
    for i, line in enumerate(masked):
        h = heading(line)
        if h and h.level == 2:
            out.append((title, start, i))
            title, start = h.title, i
    out.append((title, start, len(masked)))
    return out


_LIST_ITEM = re.compile(r"^\s*[#*]+\s*")


def list_rows(text: str, first_line: int = 1, *, regions: bool = True) -> Iterator[Row]:
    """Every list item outside wikitables (``# [[User:Aa|Aa]] ... 10:00, 1 June 2018 (UTC)``) that
    carries a signature timestamp: a signup written as a list, as people sign on Meta. Its one
    cell is the item's text after the list marks. The bot's own regions are skipped unless
    `regions` is False."""
    masked_lines = mask(text, regions=regions).split("\n")
    lines = text.split("\n")
    depth = 0
    for i, (m, original) in enumerate(zip(masked_lines, lines)):
        s = m.lstrip()
        if s.startswith("{|"):
            depth += 1
        elif s.startswith("|}") and depth:
            depth -= 1
        elif not depth and (item := _LIST_ITEM.match(m)) and SIGNATURE_TIME.search(m):
            yield Row(first_line + i, original, [original[item.end():]], header=["signature"])


def signup_rows(text: str, *, regions: bool = True, columns: bool = True) -> list[tuple[str | None, Row]]:
    """(section title, row) for every data row on a signup page, then every signed list item of
    its section (``list_rows``), section by section.

    The bot's own regions are skipped unless `regions` is False.
    """
    lines = text.split("\n")
    found: list[tuple[str | None, Row]] = []
    for title, start, end in sections(text):
        chunk = "\n".join(lines[start:end])
        found.extend((title, row) for row in table_rows(chunk, first_line=start + 1, regions=regions, columns=columns))
        found.extend((title, row) for row in list_rows(chunk, first_line=start + 1, regions=regions))
    return found


def signed_rows(text: str) -> Counter[str]:
    """Multiset of the raw text of every signed row, the bot's regions included, and of every
    signed list item outside them (the bot's regions are generated: an item there is not a
    person's signature): what no edit may lose."""
    lines = text.split("\n")
    found: Counter[str] = Counter()
    for _, start, end in sections(text):
        chunk = "\n".join(lines[start:end])
        found.update(row.text for row in table_rows(chunk, first_line=start + 1, regions=False, columns=False)
                     if row.signed)
        found.update(row.text for row in list_rows(chunk, first_line=start + 1))
    return found
