"""The coverage report: per source page, how much of its text the extracted data holds, and
the lines that it does not (``wmstrategybot extract --coverage``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from wmstrategybot.extract.blocks import PageScan
from wmstrategybot.extract.daypage import scan_page, template_end
from wmstrategybot.extract.event import day_date
from wmstrategybot.extract.layout import programme
from wmstrategybot.extract.markers import Markers
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.model.settings import EventConfig
from wmstrategybot.wikitext.text import MAX_PAGE_BYTES, page_bytes, reader_text


@dataclass(frozen=True)
class PageCoverage:
    """How much of a page's text ended up in the data, and the lines that did not."""

    page: str
    total: int  # characters a reader sees (markup, boxes, files and table syntax left out)
    used: int
    unused: tuple[tuple[int, int], ...]  # 1-based inclusive line ranges with text not in the data
    sessions: int = 0
    parts: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.used / self.total if self.total else 100.0


def _ranges(lines: list[int]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for n in lines:
        if out and n <= out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return tuple(out)


def _coverage(title: str, scan: PageScan, used: set[int]) -> PageCoverage:
    sizes = [len(reader_text(line)) for line in scan.masked]
    for i in range(len(sizes)):
        j = template_end(scan.masked, i)
        if j > i and scan.masked[i].lstrip().startswith("{{") and i not in used:
            sizes[i: j + 1] = [0] * (j + 1 - i)  # a box spread over several lines
    unused = [i + 1 for i, n in enumerate(sizes) if n and i not in used]
    return PageCoverage(
        page=title,
        total=sum(sizes),
        used=sum(n for i, n in enumerate(sizes) if i in used),
        unused=_ranges(unused),
        sessions=len(scan.sessions),
        parts=sum(len(b.parts) for b in scan.sessions),
    )


def _folded(scan: PageScan, breaks: tuple[str, ...] = ()) -> set[int]:
    """The lines of programmes (two items or more) read as the text of a heading session."""
    out: set[int] = set()
    for b in scan.sessions:
        if b.level:
            items = programme(scan.masked, b.body, breaks)
            if len(items) >= 2:
                for item in items:  # (a row's lines; an item's line and its parts', not the prose after it)
                    out.update((item.line, *(item.body if item.table >= 0 else ()), *(n for _, n in item.parts)))
    return out


def coverage_report(config: EventConfig, pages: Mapping[str, PageRecord]) -> list[PageCoverage]:
    """Per source page (summary, then days): characters of its text that the data holds.

    A Day page's sessions, parts, appendices (the day's sections), day headings and date line
    are in the data; so are the session sections of the Summary page. The rest (page intros,
    boxes above the first session) is not; nor is a programme (table rows or timed list items)
    that a heading session holds as its text: those items were read as no session or part, only
    copied into another's text. The page is read as the extraction reads it (``[reading]``).
    """
    markers = Markers(config.session_markers, config.part_markers)
    report: list[PageCoverage] = []
    for title in config.source_pages:
        page = pages.get(title)
        if page is None or page.text is None or page_bytes(page.text) > MAX_PAGE_BYTES:
            continue
        summary = title == config.summary_page
        scan = scan_page(page.text, markers, outline=not summary, reading=config.reading)
        used = {i for b in scan.sessions for i in b.lines} - _folded(scan, config.reading.break_words)
        if not summary:
            used.update(i for a in scan.appendices for i in (a.line, *a.body))
            used.update(d.line for d in scan.day_headings)
            for lines in scan.lead.values():
                date_line = day_date(scan, lines, config.year)[2]
                if date_line is not None:
                    used.add(date_line)
        report.append(_coverage(title, scan, used))
    return report


def format_coverage(report: list[PageCoverage], limit: int = 8) -> str:
    """The coverage report as a small text table, one row per page."""
    rows = [("page", "sessions", "parts", "chars used", "of", "%", "lines not used")]
    for c in report:
        ranges = [f"{a}" if a == b else f"{a}-{b}" for a, b in c.unused]
        shown = ", ".join(ranges[:limit]) + (f", ... ({len(ranges) - limit} more)" if len(ranges) > limit else "")
        rows.append((c.page, str(c.sessions), str(c.parts), str(c.used), str(c.total), f"{c.percent:.1f}", shown or "-"))
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]) - 1)]
    lines = []
    for r in rows:
        cells = [r[k].ljust(widths[k]) if k == 0 else r[k].rjust(widths[k]) for k in range(len(widths))]
        lines.append("  ".join([*cells, r[-1]]).rstrip())
    return "\n".join(lines) + "\n"
