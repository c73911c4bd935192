"""An event's settings as plain data: which pages make up the event, which pages the bot writes,
and how it behaves on the wiki. config/ reads them from TOML or the on-wiki template."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

#: how the navbox may be laid out (event.navbox_layout)
NAVBOX_LAYOUTS = ("side", "bar")
#: how the generated pages are rendered (event.render)
RENDER_MODES = ("wikitext", "module")


@dataclass(frozen=True)
class SiteConfig:
    family: str = "meta"
    code: str = "meta"


@dataclass(frozen=True)
class Targets:
    """The pages the bot writes, by page kind (render/kinds.py): the title the config gives each
    kind it names, or for a kind with a page per area a pattern holding ``{area}``. A kind the
    config does not name gets no page (no signup page for an event without working groups)."""

    titles: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, **titles: str | None) -> Targets:
        """Targets from keyword arguments, kind=title, those given None left out."""
        return cls(tuple((kind, title) for kind, title in titles.items() if title is not None))

    def get(self, kind: str) -> str | None:
        """The title (or pattern) the config gives this kind, or None."""
        return next((title for k, title in self.titles if k == kind), None)

    def items(self) -> list[tuple[str, str]]:
        """(kind, title) for every kind the config names, in the registry's order."""
        return list(self.titles)

    def without(self, titles: Iterable[str]) -> Targets:
        """These targets less the kinds whose title is one of `titles`."""
        gone = set(titles)
        return Targets(tuple((k, t) for k, t in self.titles if t not in gone))


#: where the sessions of a day section are read from (``[reading] sessions_from``)
SESSIONS_FROM = ("headings", "programme")


@dataclass(frozen=True)
class ReadingSettings:
    """What the organisers settle where the evidence of a page leaves the reading open
    (``[reading]``; extract/layout.py): each None, or empty, leaves it to the evidence."""

    #: the heading level of the sessions (2 for ``== Session ==``)
    heading_level: int | None = None
    #: "headings" or "programme" (table rows and list items): which the sessions are read from
    sessions_from: str | None = None
    #: the titles of the headings that are days (an empty tuple: no heading is a day)
    day_headings: tuple[str, ...] | None = None
    #: more words that mark a row or an item as a break (``Fika``)
    break_words: tuple[str, ...] = ()
    #: whether a name after a comma ends a programme item's title ("Wikipedia at 18, Phoebe
    #: Ayers"): True drops it, False keeps it, None keeps it and says so where it may be one
    speakers_after_comma: bool | None = None


@dataclass(frozen=True)
class BotConfig:
    stop_page: str | None = None
    status_page: str | None = None
    throttle: float | None = None  # seconds between edits; None: pywikibot's put_throttle
    maxlag: int = 5
    parse_timeout: float = 120.0  # seconds for extracting the event; pathological wikitext is refused


@dataclass(frozen=True)
class EventConfig:
    id: str
    name: str
    root: str
    days: tuple[str, ...]
    targets: Targets
    summary: str | None = None
    year: int | None = None
    site: SiteConfig = SiteConfig()
    areas: tuple[tuple[str, tuple[str, ...]], ...] = ()
    session_markers: tuple[str, ...] = ()
    part_markers: tuple[str, ...] = ()
    bot: BotConfig = BotConfig()
    navbox_layout: str = "side"  # one of NAVBOX_LAYOUTS: "side" (a box at the right) or "bar" (a full-width bar)
    #: one of RENDER_MODES: "wikitext" (the bot writes each page's list) or "module" (the pages call
    #: Module:Event track bot, which renders them from the data page; the bot writes the data page)
    render: str = "wikitext"
    origin: str = field(default="<memory>", compare=False)
    #: the day number the config gives each entry of ``days`` (None: from the page)
    day_numbers: tuple[int | None, ...] = ()
    #: the digests of lost sessions the organisers accept (``accept``; plan/lost.py's Loss.digest)
    accept: tuple[str, ...] = ()
    #: what the organisers settle of the reading (``[reading]``)
    reading: ReadingSettings = ReadingSettings()

    def page(self, relative: str) -> str:
        """Full title of a page named relative to the event root; ``"."`` is the root itself."""
        if relative in ("", "."):
            return self.root
        return f"{self.root}/{relative}" if self.root else relative

    def day_number(self, index: int) -> int | None:
        """The day number the config gives the index-th entry of ``days``, if it gives one."""
        return self.day_numbers[index] if index < len(self.day_numbers) else None

    @property
    def day_pages(self) -> tuple[str, ...]:
        return tuple(self.page(d) for d in self.days)

    @property
    def summary_page(self) -> str | None:
        return self.page(self.summary) if self.summary else None

    @property
    def source_pages(self) -> tuple[str, ...]:
        extra = (self.summary_page,) if self.summary_page else ()
        return extra + self.day_pages
