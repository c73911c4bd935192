"""What the follow mode makes of the change stream's events, without a clock or a network of its
own: which events matter (`Interest`), when a burst is over (`Debounce`), which were seen
already (`Seen`). The times are the caller's clock's."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from wmstrategybot.model.titles import normalize_title, title_key

#: what an event is to the follow mode: an edit to a page an event reads or writes (or the
#: template, or the stop page), or an edit that may opt a new page in
PAGE, OPT_IN = "page", "opt-in"


def account_name(user: str | None) -> str | None:
    """A login name as recent changes name its edits: ``WmBot@app`` (a BotPassword) is ``WmBot``."""
    if not user:
        return None
    return normalize_title(user.split("@", 1)[0])


@dataclass(frozen=True)
class Interest:
    """The pages the bot cares about, and whose edits are its own."""

    #: title keys (`title_key`) of every served event's pages, roots, template and stop page
    titles: frozenset[tuple[int, str]]
    #: the bot's account: its own edits never start a run
    user: str | None = None
    #: where a page may opt in (None: any namespace); an edit elsewhere is no opt-in
    namespaces: frozenset[int] | None = None

    @classmethod
    def of(cls, titles: Iterable[str], user: str | None = None,
           namespaces: frozenset[int] | None = None) -> Interest:
        return cls(frozenset(title_key(t) for t in titles if t), account_name(user), namespaces)

    def wants(self, event: dict[str, Any]) -> str | None:
        """`PAGE`, `OPT_IN` or None (another wiki's event, the bot's own, a page of nobody's)."""
        kind = event.get("type")
        if kind not in ("edit", "new", "log"):
            return None  # categorize, external: no text changed
        if self.user and account_name(str(event.get("user") or "")) == self.user:
            return None
        titles = [str(event.get("title") or "")]
        params = event.get("log_params")
        if kind == "log" and isinstance(params, dict):  # a move: the page moved to counts too
            titles += [str(params[k]) for k in ("target", "target_title") if isinstance(params.get(k), str)]
        if any(title_key(t) in self.titles for t in titles if t):
            return PAGE
        if kind == "log":
            return None  # a page of nobody's deleted or moved: no template added
        namespace = event.get("namespace")
        if self.namespaces is not None and namespace not in self.namespaces:
            return None
        return OPT_IN


@dataclass
class Debounce:
    """A burst of changes is over once `quiet` seconds pass without another, or `longest`
    seconds after its first (an endless stream of edits is still served)."""

    quiet: float
    longest: float
    first: float | None = None
    last: float | None = None
    count: int = 0

    def add(self, now: float) -> None:
        if self.first is None:
            self.first = now
        self.last = now
        self.count += 1

    def due_at(self) -> float | None:
        """When the burst is over (None: nothing waits)."""
        if self.first is None or self.last is None:
            return None
        return min(self.last + self.quiet, self.first + self.longest)

    def due(self, now: float) -> bool:
        at = self.due_at()
        return at is not None and now >= at

    def clear(self) -> None:
        self.first = self.last = None
        self.count = 0


@dataclass
class Seen:
    """The last `size` events by their key (the wiki and the recent change's id): an event the
    stream sends again after a reconnection counts once."""

    size: int = 10_000
    _keys: OrderedDict[str, None] = field(default_factory=OrderedDict)

    @staticmethod
    def key(event: dict[str, Any]) -> str | None:
        if event.get("id") is not None:
            return f"{event.get('wiki')}:{event.get('id')}"
        meta = event.get("meta")
        if isinstance(meta, dict) and meta.get("id"):
            return str(meta["id"])
        return None

    def first_time(self, event: dict[str, Any]) -> bool:
        """True the first time an event comes (and for one without a key: nothing to compare)."""
        key = self.key(event)
        if key is None:
            return True
        if key in self._keys:
            self._keys.move_to_end(key)
            return False
        self._keys[key] = None
        if len(self._keys) > self.size:
            self._keys.popitem(last=False)
        return True
