"""The event as plain data: days, sessions, parts, areas, working groups, signups.

Plain dataclasses with a JSON form that is deterministic (same event, same bytes)
and validated by the JSON Schema shipped beside this module (``event.schema.json``).
This module imports nothing else of the package.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any

SCHEMA_VERSION = 1
#: the English month names dates and signatures on the pages use
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


@dataclass(frozen=True)
class Provenance:
    """Where an extracted item was read: page title, revision, section anchor, line (1-based)."""

    page: str
    revision: int | str | None = None
    anchor: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Part:
    number: int
    title: str
    text: str
    source: Provenance | None = None


#: a session field written to the JSON only when it says something (not its default), so that
#: the data of events without it, and their published data pages, stay byte for byte the same
OPTIONAL = {"optional": True}


@dataclass(frozen=True)
class Session:
    """A session as read. Its JSON form (``"sessions"``) has these fields in this order; a new
    field is one line here (with ``metadata=OPTIONAL``) and one in event.schema.json."""

    id: str
    code: str
    number: int
    day: int
    title: str
    other_titles: tuple[str, ...] = ()
    summary: str = ""
    intro: str = ""
    #: the session's own text before its first part (cleaned wikitext; ``intro`` is its first paragraph)
    text: str = ""
    parts: tuple[Part, ...] = ()
    outcomes: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    #: files shown in the session, as ``File:Name``
    images: tuple[str, ...] = ()
    #: each wikitable of the session as rows of cell texts
    tables: tuple[tuple[tuple[str, ...], ...], ...] = ()
    source: Provenance | None = None
    #: "read": the page writes the number; "given": numbered by order (the page writes none)
    number_source: str = field(default="read", metadata=OPTIONAL)
    #: the last number of a range written ``Session 4-5`` (``number`` is 4)
    number_end: int | None = field(default=None, metadata=OPTIONAL)
    #: the time slot written in the session's heading, e.g. "8:00 - 10:00 UTC"
    time: str | None = field(default=None, metadata=OPTIONAL)


@dataclass(frozen=True)
class Appendix:
    """A section of a Day page that is not a session (e.g. 'Micro-inputs on possibilities')."""

    title: str
    anchor: str
    text: str = ""
    line: int | None = None  # 1-based line of its heading


@dataclass(frozen=True)
class Day:
    number: int
    page: str
    date: str | None = None
    date_text: str | None = None
    appendices: tuple[Appendix, ...] = ()
    #: the Day page's lead (its first paragraph of prose before the first session)
    intro: str = ""


@dataclass(frozen=True)
class Area:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signup:
    user: str | None
    signature: str
    timestamp: str | None
    fields: tuple[tuple[str, str], ...] = ()
    withdrawn: bool = False
    source: Provenance | None = None


@dataclass(frozen=True)
class WorkingGroup:
    area: str
    #: the group's status report as written on the day page (the data's key: "report")
    status_report: str = ""
    links: tuple[str, ...] = ()
    signups: tuple[Signup, ...] = ()
    #: where the group's status report was read
    source: Provenance | None = None


@dataclass(frozen=True)
class Notice:
    page: str
    line: int | None
    message: str


@dataclass(frozen=True)
class Event:
    id: str
    name: str
    root: str
    revisions: tuple[tuple[str, int | str | None], ...] = ()
    days: tuple[Day, ...] = ()
    sessions: tuple[Session, ...] = ()
    areas: tuple[Area, ...] = ()
    working_groups: tuple[WorkingGroup, ...] = ()
    unsorted: tuple[Signup, ...] = ()
    warnings: tuple[Notice, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "event": {
                "id": self.id,
                "name": self.name,
                "root": self.root,
                "revisions": {title: rev for title, rev in self.revisions},
            },
            "days": [_day_dict(d) for d in self.days],
            "sessions": [_session_dict(s) for s in self.sessions],
            "areas": [{"name": a.name, "aliases": list(a.aliases)} for a in self.areas],
            "working_groups": [_group_dict(g) for g in self.working_groups],
            "unsorted": [_signup_dict(s) for s in self.unsorted],
            "warnings": [asdict(w) for w in self.warnings],
        }

    def to_json(self) -> str:
        """The canonical JSON text: two-space indent, keys in schema order, newline at end."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        ev = data["event"]
        return cls(
            id=ev["id"],
            name=ev["name"],
            root=ev["root"],
            revisions=tuple(ev.get("revisions", {}).items()),
            days=tuple(
                Day(
                    number=d["number"],
                    page=d["page"],
                    date=d.get("date"),
                    date_text=d.get("date_text"),
                    appendices=tuple(Appendix(**a) for a in d.get("appendices", [])),
                    intro=d.get("intro", ""),
                )
                for d in data.get("days", [])
            ),
            sessions=tuple(_session_from(s) for s in data.get("sessions", [])),
            areas=tuple(Area(a["name"], tuple(a.get("aliases", []))) for a in data.get("areas", [])),
            working_groups=tuple(
                WorkingGroup(
                    area=g["area"],
                    status_report=g.get("report", ""),
                    links=tuple(g.get("links", [])),
                    signups=tuple(_signup_from(s) for s in g.get("signups", [])),
                    source=_prov_from(g.get("source")),
                )
                for g in data.get("working_groups", [])
            ),
            unsorted=tuple(_signup_from(s) for s in data.get("unsorted", [])),
            warnings=tuple(Notice(**w) for w in data.get("warnings", [])),
        )

    @classmethod
    def from_json(cls, text: str) -> Event:
        return cls.from_dict(json.loads(text))


def _prov(p: Provenance | None) -> dict[str, Any] | None:
    # asdict(p), without its recursive copy (every field is a str, an int or None)
    return None if p is None else {"page": p.page, "revision": p.revision, "anchor": p.anchor, "line": p.line}


def _prov_from(d: dict[str, Any] | None) -> Provenance | None:
    return None if d is None else Provenance(**d)


def _day_dict(d: Day) -> dict[str, Any]:
    return {
        "number": d.number,
        "page": d.page,
        "date": d.date,
        "date_text": d.date_text,
        "appendices": [asdict(a) for a in d.appendices],
        **({"intro": d.intro} if d.intro else {}),
    }


def _part_dict(p: Part) -> dict[str, Any]:
    return {"number": p.number, "title": p.title, "text": p.text, "source": _prov(p.source)}


def _part_from(d: dict[str, Any]) -> Part:
    return Part(d["number"], d["title"], d["text"], _prov_from(d.get("source")))


#: how the session fields that are not plain values go to JSON and back; every other field is
#: a str, an int, None, or a tuple of str (a JSON list)
_SESSION_CODECS: dict[str, tuple[Any, Any]] = {
    "parts": (lambda v: [_part_dict(p) for p in v], lambda v: tuple(_part_from(p) for p in v)),
    "tables": (lambda v: [[list(row) for row in t] for t in v],
               lambda v: tuple(tuple(tuple(row) for row in t) for t in v)),
    "source": (_prov, _prov_from),
}
_SESSION_FIELDS = fields(Session)


def _session_dict(s: Session) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in _SESSION_FIELDS:
        value = getattr(s, f.name)
        if f.metadata.get("optional") and (value == f.default or value in ("", None)):
            continue
        if f.name in _SESSION_CODECS:
            out[f.name] = _SESSION_CODECS[f.name][0](value)
        else:
            out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


def _session_from(d: dict[str, Any]) -> Session:
    values: dict[str, Any] = {}
    for f in _SESSION_FIELDS:
        if f.name not in d:
            if f.default is MISSING and f.default_factory is MISSING:
                raise KeyError(f.name)
            continue
        value = d[f.name]
        if f.name in _SESSION_CODECS:
            values[f.name] = _SESSION_CODECS[f.name][1](value)
        else:
            values[f.name] = tuple(value) if isinstance(value, list) else value
    return Session(**values)


def _signup_dict(s: Signup) -> dict[str, Any]:
    return {
        "user": s.user,
        "signature": s.signature,
        "timestamp": s.timestamp,
        "fields": {k: v for k, v in s.fields},
        "withdrawn": s.withdrawn,
        "source": _prov(s.source),
    }


def _signup_from(d: dict[str, Any]) -> Signup:
    return Signup(
        user=d.get("user"),
        signature=d.get("signature", ""),
        timestamp=d.get("timestamp"),
        fields=tuple(d.get("fields", {}).items()),
        withdrawn=d.get("withdrawn", False),
        source=_prov_from(d.get("source")),
    )


def _group_dict(g: WorkingGroup) -> dict[str, Any]:
    return {
        "area": g.area,
        "report": g.status_report,
        "links": list(g.links),
        "signups": [_signup_dict(s) for s in g.signups],
        "source": _prov(g.source),
    }


__all__ = [
    "Appendix",
    "Area",
    "Day",
    "Event",
    "Part",
    "Provenance",
    "Session",
    "Signup",
    "Notice",
    "WorkingGroup",
]
