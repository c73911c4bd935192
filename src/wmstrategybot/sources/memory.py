"""Pages in a dict: a real, writable source for tests of planning and saving (the dir: source
is the one people use), and a small wiki for tests of the change check: revision ids, recent
changes and a watchlist on request, and API requests counted as a wiki's would be."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from wmstrategybot.model.pages import PageRecord
from wmstrategybot.sources.base import Change, SaveResult, Source, pages_calling

#: titles a request may name, and results a list request gives (a bot's apihighlimits)
BATCH = 500
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def _requests_for(count: int) -> int:
    return max(1, -(-count // BATCH))


class MemorySource(Source):
    """Pages held in memory; a save overwrites. Each version of a page has a revision id, as on
    a wiki; with ``watchlist=True`` the source lists the changes to the pages it watches.

    `edit`, `delete` and `move` are what other people do (no request of the bot's); `read`,
    `revisions`, `changes`, `watch`, `embedded_in` and `save` count in `requests` as the API
    requests a wiki would need for them (500 titles a request).
    """

    name = "memory"
    writable = True
    requests: int = 0
    reads: int = 0

    def __init__(self, pages: Mapping[str, str], *, watchlist: bool = False, user: str = "Bot"):
        self.pages = dict(pages)
        self.watchlist = watchlist
        self.bot = user
        self.user = user if watchlist else None  # the account the watchlist is of
        self.requests = 0
        self.reads = 0
        self.recent: list[Change] = []  # the wiki's recent changes, oldest first
        self.watching: set[str] = set()
        self.purged: list[list[str]] = []  # the titles of each purge, in order
        self._seconds = 0
        self._last_revision = 0
        self._revision = {title: self._next_revision() for title in self.pages}

    def _next_revision(self) -> int:
        self._last_revision += 1
        return self._last_revision

    def _now(self) -> str:
        return (_EPOCH + timedelta(seconds=self._seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _request(self, count: int = 1, *, read: bool = True) -> None:
        self.requests += count
        self.reads += count if read else 0
        if self.session.server_time is None:
            self.session.server_time = self._now()

    def _record(self, title: str, kind: str, user: str, **extra: str) -> int:
        self._seconds += 1
        revision = self._next_revision() if kind != "log" else 0
        log = self._next_revision() if kind == "log" else 0
        self.recent.append(Change(title, kind, revision=revision, log=log, timestamp=self._now(), user=user,
                                  log_type=extra.get("log_type", ""), target=extra.get("target", "")))
        return revision

    def _record_of(self, title: str) -> PageRecord:
        if self.watchlist:
            self.session.watched[title] = title in self.watching
        return PageRecord(title, self.pages.get(title), self._revision.get(title))

    def read(self, titles: Iterable[str]) -> dict[str, PageRecord]:
        wanted = list(dict.fromkeys(titles))
        self._request(_requests_for(len(wanted)))
        return {t: self._record_of(t) for t in wanted}

    def revisions(self, titles: Iterable[str]) -> dict[str, int | str | None]:
        wanted = list(dict.fromkeys(titles))
        self._request(_requests_for(len(wanted)))
        return {t: self._record_of(t).revision for t in wanted}

    def embedded_in(self, template: str) -> list[str]:
        found = pages_calling((PageRecord(t, x) for t, x in self.pages.items()), template)
        self._request(_requests_for(len(found)))
        return found

    def changes(self, since: str) -> list[Change]:
        if not self.watchlist:
            return super().changes(since)
        self._request()
        return [c for c in self.recent if c.timestamp >= since and c.title in self.watching]

    def watch(self, titles: Iterable[str]) -> set[str]:
        if not self.watchlist:
            return super().watch(titles)
        wanted = list(dict.fromkeys(titles))
        self._request(_requests_for(len(wanted)), read=False)
        self.watching.update(wanted)
        return set(wanted)

    def purge(self, titles: Iterable[str]) -> None:
        wanted = list(dict.fromkeys(titles))
        self._request(_requests_for(len(wanted)), read=False)
        self.purged.append(wanted)

    def save(self, page: PageRecord, text: str, edit_summary: str, content_model: str | None = None) -> SaveResult:
        self._request(read=False)
        created = page.title not in self.pages
        self.pages[page.title] = text
        self._revision[page.title] = self._record(page.title, "new" if created else "edit", self.bot)
        return SaveResult(page.title, self._revision[page.title], created=not page.exists)

    def edit(self, title: str, text: str, user: str = "Someone") -> int:
        """A person saves `text` on the page; the new revision's id."""
        created = title not in self.pages
        self.pages[title] = text
        self._revision[title] = self._record(title, "new" if created else "edit", user)
        return self._revision[title]

    def delete(self, title: str, user: str = "Admin") -> None:
        """A person deletes the page (a log entry)."""
        del self.pages[title]
        del self._revision[title]
        self._record(title, "log", user, log_type="delete")

    def move(self, title: str, target: str, user: str = "Someone") -> None:
        """A person moves the page to `target`, leaving no redirect (a log entry)."""
        self.pages[target] = self.pages.pop(title)
        self._revision[target] = self._revision.pop(title)
        self._record(title, "log", user, log_type="move", target=target)
