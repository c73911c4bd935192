"""Who may write a generated page under `run --all`: the event that wrote it first.

A page the state store records as an event's (`StateStore.owners`) is that event's until its config
stops naming it (served with a config that no longer names it: the page is free from then on), the
event is dropped from the store (gone past the job's grace period), or the job file's
``[handover]`` names a new owner. No other event may take it: not one nested below the owner's
root, not one enclosing it, not one on the same root, not an on-wiki event against a local one.

A page no event wrote yet goes to the earliest opt-in among the events naming it: the event the
job first met first (``first_seen`` in the store); a tie (events first met in the same run) goes to
the event whose root holds the page (its subtree: an enclosing root naming a nested event's
``/Overview`` takes nothing), then by the event's key in code-point order (local configs,
``config:<id>``, before on-wiki events, ``page:<root>``; then by root title). A page that is
another event's root, status page or a page it reads (its Day pages) is never a target. Titles are compared as MediaWiki compares them (`owner_key`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from wmstrategybot.job.store import StateStore, owner_key
from wmstrategybot.model.settings import EventConfig
from wmstrategybot.render.kinds import target_titles, without_titles

#: the words that mark an ownership refusal (job/causes.py's "owned" cause)
OWNED = "owned by"
FIRST = "named first by"


def shown(key: str) -> str:
    """An event's key as an organiser reads it: the event on [[root]], or a local config."""
    if key.startswith("page:"):
        return f"the event on [[{key[5:]}]]"
    if key.startswith("config:"):
        return f"the bot operator's local config {key[7:]!r}"
    return f"the event {key}"


@dataclass
class Ownership:
    """One run's view of who owns which page: the store's table, and what each event of the run
    names (for the pages no one owns yet)."""

    #: owner_key(title) -> (title, the owning event's key)
    owned: dict[str, tuple[str, str]]
    #: event key -> when the job first met it (an event not in the store: now)
    first_seen: dict[str, float]
    now: float
    #: event key -> the owner_keys of the targets it names (this run's config, or last run's)
    by_event: dict[str, set[str]] = field(default_factory=dict)
    #: owner_key -> the key of the event whose root, status page or source page (a Day page) it is
    reserved: dict[str, str] = field(default_factory=dict)
    #: event key -> the owner_key of its root (a tie between new events: the page's own subtree wins)
    roots: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, store: StateStore, now: float) -> Ownership:
        return cls(store.owners(), store.first_seen(), now)

    def names(self, key: str, titles: Iterable[str]) -> None:
        """Event `key` names these targets (this run's config, or what it named last time)."""
        self.by_event[key] = {owner_key(t) for t in titles}

    def reserve(self, key: str, titles: Iterable[str]) -> None:
        """These pages are event `key`'s root, status page or the pages it reads: no other event's prize."""
        for title in titles:
            self.reserved.setdefault(owner_key(title), key)

    def owner(self, title: str) -> str | None:
        held = self.owned.get(owner_key(title))
        return held[1] if held else None

    def _rank(self, key: str) -> tuple[float, str]:
        return (self.first_seen.get(key, self.now), key)

    def _rank_for(self, key: str, page: str) -> tuple[float, int, str]:
        """The earliest opt-in first; between events first met in the same run, the one whose
        root holds the page (the deepest such root: the page is in its subtree), then by key."""
        root = self.roots.get(key)
        inside = len(root) if root and page.startswith(root + "/") else 0
        return (self.first_seen.get(key, self.now), -inside, key)

    def why_not(self, title: str, key: str) -> str | None:
        """Why event `key` may not write `title` (None: it may)."""
        page = owner_key(title)
        owner = self.owner(title)
        if owner is not None:
            if owner == key:
                return None
            return (f"{OWNED} {shown(owner)}, which wrote it first: no other event may take it over (its config "
                    "must drop the page, or the bot's operator hands it over in the job file's [handover])")
        holder = self.reserved.get(page)
        if holder is not None and holder != key:
            return f"{OWNED} {shown(holder)}: its root, status page or a page it reads, never another event's target"
        rivals = {k for k, pages in self.by_event.items() if page in pages} | {key}
        first = min(rivals, key=lambda k: self._rank_for(k, page))
        if first != key:
            return (f"{FIRST} {shown(first)}, which opted in earlier; no event wrote it yet, and the earliest "
                    "opt-in takes it")
        return None

    def still_refused(self, refused: Iterable[Mapping[str, str]], key: str) -> list[dict[str, str]]:
        """The ownership refusals of an earlier run that hold now, each with today's reason."""
        return [{"title": r["title"], "reason": why} for r in refused
                if isinstance(r, Mapping) and isinstance(r.get("title"), str)
                and (why := self.why_not(r["title"], key)) is not None]

    def keep(self, config: EventConfig, key: str) -> tuple[EventConfig, list[dict[str, str]]]:
        """The config without the targets `key` may not write (refused, each with the reason)."""
        refused = [{"title": t, "reason": why} for t in target_titles(config)
                   if (why := self.why_not(t, key)) is not None]
        if not refused:
            return config, []
        return without_titles(config, [r["title"] for r in refused]), refused

    def set(self, store: StateStore | None, title: str, key: str) -> None:
        self.owned[owner_key(title)] = (title, key)
        if store is not None:
            store.set_owner(title, key, self.now)

    def after_serve(self, store: StateStore | None, key: str, config: EventConfig, written: Iterable[str]) -> None:
        """Event `key` was served with `config` (as its organisers wrote it, before refusals):
        the pages it wrote are its own from now on; the pages it owned that its config no
        longer names are free. `store` None: a dry run, nothing recorded."""
        for title in written:
            if self.owner(title) is None:
                self.set(store, title, key)
        names = {owner_key(t) for t in target_titles(config)}
        for page, (title, owner) in list(self.owned.items()):
            if owner == key and page not in names:
                del self.owned[page]
                if store is not None:
                    store.release(title, key)

    def hand_over(self, store: StateStore | None, handover: Mapping[str, str], keys: Mapping[str, str],
                  notes: list[str]) -> None:
        """The job file's ``[handover]``: page -> the root (or ``config:<id>``) of its new owner;
        `keys`: the key, and the root's `owner_key`, of every event of this run -> its key."""
        for title, to in handover.items():
            key = keys.get(to) or keys.get(owner_key(to))
            if key is None:
                notes.append(f"[handover] {title!r} = {to!r}: no event of this job has that root or key; "
                             "nothing handed over")
                continue
            if self.owner(title) != key:
                before = self.owner(title)
                self.set(store, title, key)
                notes.append(f"[handover]: [[{title}]] handed over to {shown(key)}"
                             + (f" (it was {shown(before)}'s)" if before else ""))
