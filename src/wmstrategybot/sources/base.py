"""What every page source is: the records it reads and saves, four small protocols (read, write,
watchlist, discovery), the `Source` base that answers them as a folder does, and the `Session`
a run begins to learn what its own requests saw.

Every source reads a batch of titles into ``PageRecord``s (text plus the revision it was
read at) and, if writable, saves a new text *against the record it was computed from*:
a page that changed or vanished since is an ``EditConflict``/``PageDeleted``, never
overwritten. A kind of source that cannot do something (watch pages, log in) keeps the
base's answer, so no caller needs to ask what a source can do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from wmstrategybot.errors import SourceError, WatchlistUnavailable
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.model.settings import SiteConfig
from wmstrategybot.model.titles import normalize_title, template_name
from wmstrategybot.wikitext.text import template_calls


@dataclass(frozen=True)
class SaveResult:
    title: str
    revision: int | str | None
    created: bool
    changed: bool = True  # False when the wiki answered nochange
    #: the wiki merged the edit with a newer revision than the one read (edits that do not
    #: overlap): the saved page holds text the bot did not plan from
    merged: bool = False
    #: pywikibot's own ``simulate`` is set (user-config.py): nothing was sent, nothing saved
    simulated: bool = False


@dataclass(frozen=True)
class Change:
    """One entry of a wiki's recent changes: an edit or creation (`revision`) or a log entry (`log`)."""

    title: str
    kind: str  # edit | new | log
    revision: int = 0
    log: int = 0
    timestamp: str = ""
    user: str = ""
    log_type: str = ""  # delete, move, protect, contentmodel...
    target: str = ""  # where a move log entry moved the page to


@dataclass
class Session:
    """What a source saw since `Source.begin()`: what a run needs to know of its own requests.

    One run (or one pass of a job) begins a session and reads it: no caller resets a source."""

    #: the source's clock at its first request of the session (wikis only)
    server_time: str | None = None
    #: title asked for -> the title the wiki answered with, for the pages read (wikis only)
    canonical: dict[str, str] = field(default_factory=dict)
    #: title -> whether the bot's watchlist holds it, for the pages read (wikis only)
    watched: dict[str, bool] = field(default_factory=dict)
    #: the source's request and read counts when the session began (None: it makes none)
    first_requests: int | None = None
    first_reads: int | None = None


@dataclass(frozen=True)
class StreamInfo:
    """Where a wiki's change stream is, and how its events name this wiki."""

    url: str
    wiki: str  # the ``wiki`` field (the database name: ``metawiki``)
    domain: str  # ``meta.domain`` / ``server_name`` (``meta.wikimedia.org``)


class PageReader(Protocol):
    """A collection of pages that can be read: every source is one."""

    def read(self, titles: Iterable[str]) -> dict[str, PageRecord]: ...
    def revisions(self, titles: Iterable[str]) -> dict[str, int | str | None]: ...
    def describe(self) -> str: ...


class PageWriter(Protocol):
    """Pages that can be saved, each against the record it was computed from."""

    writable: bool
    user: str | None

    def login(self) -> None: ...
    def save(self, page: PageRecord, text: str, edit_summary: str, content_model: str | None = None) -> SaveResult: ...
    def purge(self, titles: Iterable[str]) -> None: ...


class WatchlistReader(Protocol):
    """A wiki's watchlist: what changed on the watched pages, and watching more of them."""

    watchlist: bool

    def changes(self, since: str) -> list[Change]: ...
    def watch(self, titles: Iterable[str]) -> set[str]: ...


class EventFinder(Protocol):
    """What discovery asks: the pages that opt in, the pages a person took away, titles checked."""

    def embedded_in(self, template: str) -> list[str]: ...
    def removals(self, titles: Iterable[str]) -> dict[str, str]: ...
    def check_targets(self, config: object, subpages_of: str | None = None) -> None: ...


class Source:
    """Base of every source, the four protocols above with a folder's answers: a read-only
    collection of pages, with neither watchlist nor login. A kind of source overrides what it
    can do (`read` at least); what it leaves alone answers as a folder does, so no caller needs
    to ask what a source can do.
    """

    #: how the source is named in messages and reports
    name: str = "source"
    #: `save` may be called
    writable: bool = False
    #: `changes` and `watch` work, and the session's `watched` says which pages read are watched
    watchlist: bool = False
    #: the account edits are made as, where the source has one
    user: str | None = None
    #: API requests made so far, and how many of them read (None: the source makes none)
    requests: int | None = None
    reads: int | None = None

    def begin(self) -> Session:
        """A new session: what the source sees from now on is told there (`session`)."""
        self._session = Session(first_requests=self.requests, first_reads=self.reads)
        return self._session

    @property
    def session(self) -> Session:
        """The session begun last (one is begun at the first use)."""
        return self.__dict__.get("_session") or self.begin()

    def counted(self, session: Session | None = None) -> tuple[int | None, int | None]:
        """API requests and reads made since `session` (the current one) began; None where the
        source makes none (a run's report counts its own this way)."""
        s = session or self.session
        return (None if s.first_requests is None else (self.requests or 0) - s.first_requests,
                None if s.first_reads is None else (self.reads or 0) - s.first_reads)

    def read(self, titles: Iterable[str]) -> dict[str, PageRecord]:
        """Each title's record (text None: no such page)."""
        raise NotImplementedError

    def revisions(self, titles: Iterable[str]) -> dict[str, int | str | None]:
        """The latest revision of each title (None: no such page), as cheaply as the source can."""
        return {t: p.revision for t, p in self.read(titles).items()}

    def embedded_in(self, template: str) -> list[str]:
        """Titles of the pages, in every namespace, that transclude ``Template:<template>`` (the
        ``Template:`` prefix optional): the pages that opt in by calling it. Wikis ask the wiki
        (which also lists calls through other templates); the other kinds scan their texts."""
        raise NotImplementedError

    def changes(self, since: str) -> list[Change]:
        """Changes to the watched pages since a time of the source's clock (wikis only)."""
        raise WatchlistUnavailable(f"{self.name} has no watchlist")

    def removals(self, titles: Iterable[str]) -> dict[str, str]:
        """Of these missing titles, those a person deleted or moved away, and how (wikis only)."""
        return {}

    def namespace_numbers(self) -> frozenset[int] | None:
        """The numbers of the namespaces the wiki has (None: the source cannot tell; wikis only)."""
        return None

    def has_extension(self, name: str) -> bool | None:
        """Whether the wiki has this MediaWiki extension (None: the source cannot tell; wikis only)."""
        return None

    def watch(self, titles: Iterable[str]) -> set[str]:
        """Watch these titles; the titles confirmed (wikis only)."""
        raise WatchlistUnavailable(f"{self.name} has no watchlist")

    def login(self) -> None:
        """Log in before a save (wikis only: other sources have nobody to log in as)."""

    def save(self, page: PageRecord, text: str, edit_summary: str, content_model: str | None = None) -> SaveResult:
        """Save `text` over `page` as read; EditConflict/PageDeleted when it changed since."""
        raise SourceError(f"{self.name} is read-only; publish to --source dir:PATH or site")

    def purge(self, titles: Iterable[str]) -> None:
        """Render these pages afresh, their links updated (wikis only: a page that shows another the
        run just created or changed would show it stale, or as a red link, until then)."""

    def check_targets(self, config: object, subpages_of: str | None = None) -> None:
        """Refuse (ConfigError) a config whose pages the source resolves to where the bot must
        never write (wikis only: they know their namespace names); `subpages_of`: an on-wiki
        config's root, whose subpages may be a user's pages."""

    def describe(self) -> str:
        return self.name

    def wiki(self) -> SiteConfig:
        """The wiki whose pages these are, as an on-wiki config names it (wikis: theirs)."""
        return SiteConfig()

    def stream_info(self, url: str | None = None) -> StreamInfo:
        """Where the wiki's change stream is (`url`, or its family's EventStreams) and how its
        events name the wiki (wikis only)."""
        raise SourceError(f"{self.name} has no change stream; --follow needs --source site")

    def latest_change(self) -> str | None:
        """The time of the newest recent change on the wiki, anyone's (None: none; wikis only)."""
        raise SourceError(f"{self.name} has no recent changes")


def pages_calling(pages: Iterable[PageRecord], template: str) -> list[str]:
    """The titles of the pages whose text calls the template (by `template_name`), sorted: the
    text sources' `Source.embedded_in`."""
    name = template_name(template)
    return sorted(p.title for p in pages
                  if p.text and any(normalize_title(called) == name for called in template_calls(p.text)))
