"""What the wiki source asks of the bot's watchlist: the changes to the watched pages, the
pages a person deleted or moved away, and watching the event's pages."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from wmstrategybot.errors import SourceError, WatchlistUnavailable
from wmstrategybot.sources.account import simulating
from wmstrategybot.sources.base import Change, StreamInfo
from wmstrategybot.sources.stream import STREAM


def chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class SiteWatchlist:
    """The watchlist half of `SiteSource` (which brings the requests, the login and the token)."""

    site: Any
    _temporary_watches: Any

    def _request(self, **params: Any) -> dict[str, Any]:
        raise NotImplementedError

    def _batch(self) -> int:
        raise NotImplementedError

    def _token(self, kind: str) -> str:
        raise NotImplementedError

    def login(self) -> None:
        raise NotImplementedError

    def changes(self, since: str) -> list[Change]:
        """Every edit, creation and log entry on the bot's watched pages since `since`, oldest first.

        One request for an hour's changes to a few pages, however many pages are watched and
        however busy the wiki is: the server filters on the watchlist. Needs the grants "View
        your watchlist" (to read it) and, once, "Edit your watchlist" (see `watch`).
        """
        from pywikibot.exceptions import APIError

        params: dict[str, Any] = dict(
            action="query", list="watchlist", wlstart=since, wldir="newer", wlallrev=True,
            wlprop="ids|title|timestamp|user|loginfo", wltype="edit|new|log", wllimit="max",
            curtimestamp=True, formatversion=2,
        )
        out: list[Change] = []
        while True:
            try:
                data = self._request(**params)
            except APIError as exc:
                raise WatchlistUnavailable(f"the bot's watchlist cannot be read: {exc.code}: {exc.info}") from None
            for item in data.get("query", {}).get("watchlist", []):
                out.append(Change(
                    title=item.get("title", ""),
                    kind=item.get("type", ""),
                    revision=int(item.get("revid") or 0),
                    log=int(item.get("logid") or 0),
                    timestamp=item.get("timestamp", ""),
                    user=item.get("user", ""),
                    log_type=item.get("logtype", ""),
                    target=(item.get("logparams") or {}).get("target_title", "") if item.get("logtype") == "move" else "",
                ))
            if "continue" not in data:
                return out
            params.update(data["continue"])

    def removals(self, titles: Iterable[str]) -> dict[str, str]:
        """Of these missing titles, those whose latest deletion or move log entry took the page away.

        One request per title (the log can be asked about one title at a time); the bot asks
        only about target pages it would otherwise create.
        """
        from pywikibot.exceptions import APIError

        out: dict[str, str] = {}
        for title in dict.fromkeys(titles):
            try:
                data = self._request(action="query", list="logevents", letitle=title, lelimit="max",
                                     leprop="type|user|timestamp|details", formatversion=2)
            except APIError as exc:
                raise SourceError(f"{self.site}: reading the log of {title!r} failed: {exc.code}: {exc.info}") from None
            for entry in data.get("query", {}).get("logevents", []):  # newest first
                kind, action = entry.get("type"), entry.get("action")
                who = f"by {entry.get('user') or 'someone'} at {entry.get('timestamp', '?')}"
                if kind == "delete" and action in ("delete", "delete_redir", "delete_redir2"):
                    out[title] = f"deleted {who}"
                    break
                if kind == "move":
                    target = (entry.get("params") or {}).get("target_title", "?")
                    out[title] = f"moved to [[{target}]] {who}"
                    break
                if kind == "delete" and action == "restore":
                    break  # undeleted since: whatever took it away later left no entry here
        return out

    def _watched(self, page: dict[str, Any]) -> bool:
        """On the watchlist for good (a temporary watch, with an expiry, will lapse)."""
        if page.get("watchlistexpiry"):
            self._temporary_watches = True
            return False
        return bool(page.get("watched"))

    def watch(self, titles: Iterable[str]) -> set[str]:
        """Add the titles (existing or not) to the bot's watchlist; the titles the wiki confirmed."""
        from pywikibot.exceptions import APIError

        wanted = list(dict.fromkeys(titles))
        self.login()
        if simulating():
            return set()  # pywikibot would block the watch: none is confirmed
        watched: set[str] = set()
        try:
            token = self._token("watch")
        except SourceError as exc:
            raise WatchlistUnavailable(f"no watch token: {exc}") from None
        for batch in chunks(wanted, self._batch()):
            try:
                # for good: an existing temporary watch would otherwise keep its expiry (a wiki
                # without expiring watches refuses the parameter, and has none to worry about)
                extra = {"expiry": "infinite"} if self._temporary_watches else {}
                data = self._request(action="watch", titles=batch, token=token, formatversion=2, **extra)
            except APIError as exc:
                raise WatchlistUnavailable(f"the bot cannot watch pages: {exc.code}: {exc.info}") from None
            watched.update(w["title"] for w in data.get("watch", []) if w.get("watched") and "title" in w)
        return watched

    def stream_info(self, url: str | None = None) -> StreamInfo:
        """The wiki's recentchange stream: `url`, or the family's ``eventstreams_host`` and path
        (Wikimedia's families have them; another family defines them or the bot is given a URL)."""
        if url is None:
            try:
                url = f"{self.site.eventstreams_host()}{self.site.eventstreams_path()}/{STREAM}"
            except NotImplementedError:
                raise SourceError(f"{self.site}: its pywikibot family names no EventStreams host "
                                  "(eventstreams_host); give the stream with --stream URL") from None
        try:
            info = self.site.siteinfo
            wiki, domain = str(info.get("wikiid") or self.site.dbName()), str(info.get("servername") or "")
        except Exception as exc:  # pywikibot's errors: the wiki unreachable
            raise SourceError(f"{self.site}: cannot read the wiki's id: {str(exc).splitlines()[0] if str(exc) else exc!r}") from None
        return StreamInfo(url, wiki, domain)

    def latest_change(self) -> str | None:
        """The time of the wiki's newest recent change (an edit, a creation or a log entry), one request."""
        data = self._request(action="query", list="recentchanges", rcprop="timestamp", rclimit=1,
                             rctype="edit|new|log", formatversion=2)
        rows = data.get("query", {}).get("recentchanges", [])
        return str(rows[0]["timestamp"]) if rows else None
