"""The event config: which pages make up an event and which pages the bot writes.

Loaded from TOML (``tomllib``). A config that only names the pages works: every
other key has a default. Errors are ``ConfigError`` with one line naming the problem.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from typing import Any

from wmstrategybot.errors import ConfigError
from wmstrategybot.model.settings import (
    NAVBOX_LAYOUTS,
    RENDER_MODES,
    SESSIONS_FROM,
    BotConfig,
    EventConfig,
    ReadingSettings,
    SiteConfig,
    Targets,
)
from wmstrategybot.model.titles import namespace_of, target_problem
from wmstrategybot.render.kinds import AREA, KINDS, kinds_by_key, target_pages
from wmstrategybot.wikitext.areas import AreaIndex
from wmstrategybot.wikitext.escaping import PlainText


def check_targets(config: EventConfig, where: str, subpages_of: str | None = None) -> None:
    """Refuse a config that would make the bot write where an event's pages never are (the
    status page may also be a user's page: the site source checks that it is the bot's own)."""
    keys = {kind.name: kind.config_key for kind in KINDS.values()}
    root_ns = namespace_of(config.root)
    for kind, title in config.targets.items():
        if KINDS[kind].per_area and AREA not in title:
            raise ConfigError(f"{where} [targets]: {keys[kind]} target {title!r} names no page per area: "
                              f"put {AREA} where the area's name goes")
    for page in target_pages(config):
        why = target_problem(page.title, root_ns, subpages_of=subpages_of, json=KINDS[page.kind].content_model == "json")
        if why:
            raise ConfigError(f"{where} [targets]: {keys[page.kind]} target {page.title!r} {why}")
    status_page = config.bot.status_page
    why = target_problem(status_page, root_ns, user_page=True) if status_page is not None else None
    if why:
        raise ConfigError(f"{where} [bot]: status_page {status_page!r} {why}")


def parse_config(text: str, origin: str = "<memory>") -> EventConfig:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: malformed TOML: {exc}") from None
    return config_from_dict(raw, origin)


def _table(raw: dict[str, Any], key: str, origin: str, required: bool = True) -> dict[str, Any]:
    value = raw.get(key)
    if value is None:
        if required:
            raise ConfigError(f"{origin}: missing table [{key}]")
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{origin}: [{key}] must be a table")
    return value


def _str(table: dict[str, Any], key: str, where: str, required: bool = True) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise ConfigError(f"{where}: missing key '{key}'")
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: '{key}' must be a non-empty string, not {_a(value)}")
    return value.strip()


def _type_name(value: Any) -> str:
    """A TOML value's kind, in the words of TOML."""
    for kinds, name in ((bool, "boolean"), (str, "string"), (int, "integer"), (float, "float"),
                        (list, "list"), (dict, "table")):
        if isinstance(value, kinds):
            return name
    return type(value).__name__


def _a(value: Any) -> str:
    name = _type_name(value)
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def _str_list(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _day_list(value: Any, where: str, has_root: bool) -> tuple[tuple[str, ...], tuple[int | None, ...]]:
    """``days``: page titles relative to root ("." is the root page itself), or tables
    ``{ page = "...", day = N }`` that also give the day's number."""
    if not isinstance(value, list):
        got = _a(value) + (f" ({value!r})" if isinstance(value, str) else "")
        raise ConfigError(f"{where}: 'days' must be a list of page titles, such as [\"Day 1\", \"Day 2\"], not {got}")
    pages: list[str] = []
    numbers: list[int | None] = []
    for item in value:
        number = None
        if isinstance(item, dict):
            unknown = set(item) - {"page", "day"}
            if unknown:
                raise ConfigError(f"{where}: unknown key '{sorted(unknown)[0]}' in an entry of 'days' (known: page, day)")
            number = item.get("day")
            if number is not None and (isinstance(number, bool) or not isinstance(number, int) or number < 1):
                raise ConfigError(f"{where}: 'day' in 'days' must be a day number >= 1")
            item = item.get("page")
        if not isinstance(item, str) or (item.strip() in ("", ".") and not has_root):
            raise ConfigError(f"{where}: 'days' must be a list of page titles (\".\" for the root page)")
        page = item.strip() or "."
        if page in pages:
            raise ConfigError(f"{where}: 'days' names the page {page!r} twice")
        pages.append(page)
        numbers.append(number)
    return tuple(pages), tuple(numbers)


def _regexes(values: tuple[str, ...], where: str) -> tuple[str, ...]:
    for v in values:
        try:
            rx = re.compile(v)
        except re.error as exc:
            raise ConfigError(f"{where}: bad regular expression {v!r}: {exc}") from None
        if "title" not in rx.groupindex:
            raise ConfigError(f"{where}: marker {v!r} needs a named group 'title' (and 'number', if it has one)")
    return values


_DIGEST = re.compile(r"[0-9a-f]{4,40}")


def _accept(value: object, where: str) -> tuple[str, ...]:
    """The digests of the session losses accepted: a string (comma- or space-separated) or a
    list of strings, each the hex digest a refusal names."""
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(v, str) for v in items):
        raise ConfigError(f"{where}: 'accept' must be the code a refusal names (accept = \"1a2b3c4d\"), or a list of them")
    out = tuple(v.strip().lower() for v in items if v.strip())
    bad = next((v for v in out if not _DIGEST.fullmatch(v)), None)
    if bad is not None:
        raise ConfigError(f"{where}: 'accept' {bad!r} is not a code a refusal names (hex digits, such as 1a2b3c4d)")
    return out


_KNOWN: dict[str, tuple[str, ...] | None] = {
    "site": ("family", "code"),
    "event": ("id", "name", "root", "days", "summary", "year", "navbox_layout", "render", "accept"),
    "targets": None,  # the page kinds' keys (render/kinds.py)
    "areas": None,
    "markers": ("session", "part"),
    "bot": ("stop_page", "status_page", "throttle", "maxlag", "parse_timeout"),
    "reading": ("heading_level", "sessions_from", "day_headings", "break_words", "speakers_after_comma"),
}
#: segments of a root title that name no event ("Wikimedia Summit 2022/Documentation")
_GENERIC_SEGMENTS = frozenset({"documentation", "docs", "programme", "program", "sessions", "notes"})


def default_name(root: str) -> str:
    """The event's name when the config gives none: the root's segments that say which event
    ("Wikimedia Summit 2022/Documentation" -> "Wikimedia Summit 2022"), never "Documentation"."""
    parts = [p.strip() for p in root.split("/") if p.strip()]
    named = [p for p in parts if p.casefold() not in _GENERIC_SEGMENTS] or parts
    return f"{named[0]}: {' / '.join(named[1:])}" if len(named) > 1 else (named[0] if named else "event")


def default_id(root: str, days: tuple[str, ...] = ()) -> str:
    """The event's id when the config gives none: a slug of the whole root title (so two events
    whose roots both end in "/Documentation" get different state files and locks)."""
    whole = root or "|".join(days)
    slug = re.sub(r"[^a-z0-9]+", "-", whole.casefold()).strip("-") or "event"
    if len(slug) > 80 or not slug.isascii():
        slug = slug[:64].rstrip("-") + "-" + hashlib.sha256(whole.encode("utf-8")).hexdigest()[:8]
    return slug


def _check_known(raw: dict[str, Any], origin: str) -> None:
    """A typo in a key is an error, not a silently ignored setting."""
    for table, value in raw.items():
        if table not in _KNOWN:
            raise ConfigError(f"{origin}: unknown table [{table}] (known: {', '.join(_KNOWN)})")
        keys = _KNOWN[table]
        if not isinstance(value, dict):
            raise ConfigError(f"{origin}: [{table}] must be a table, not {_a(value)}")
        if keys is not None:
            for key in value:
                if key not in keys:
                    raise ConfigError(f"{origin} [{table}]: unknown key '{key}' (known: {', '.join(keys)})")


#: the longest wait, in seconds, the [bot] table accepts (NaN, infinity and 1e308 fail the
#: range check, so they are refused at load rather than deep inside pywikibot)
_MAX_SECONDS = 3600


def _reading(table: dict[str, Any], where: str) -> ReadingSettings:
    """``[reading]``: what the organisers settle where a page's evidence leaves it open."""
    level = table.get("heading_level")
    if level is not None and (isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 6):
        raise ConfigError(f"{where}: 'heading_level' must be a heading level, 1 to 6 (2 for '== Session ==')")
    source = table.get("sessions_from")
    if source is not None and source not in SESSIONS_FROM:
        raise ConfigError(f"{where}: 'sessions_from' must be \"headings\" or \"programme\" (table rows and list items)")
    days = table.get("day_headings")
    if days is not None and (not isinstance(days, list) or not all(isinstance(d, str) and d.strip() for d in days)):
        raise ConfigError(f"{where}: 'day_headings' must be a list of heading titles (such as [\"Saturday\"]; [] for none)")
    words = table.get("break_words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and re.search(r"\w", w) for w in words):
        raise ConfigError(f"{where}: 'break_words' must be a list of words (such as [\"Fika\"])")
    speakers = table.get("speakers_after_comma")
    if speakers is not None and not isinstance(speakers, bool):
        raise ConfigError(f"{where}: 'speakers_after_comma' must be true (a name after a comma is a speaker, "
                          "not the title's) or false")
    return ReadingSettings(level, source, tuple(d.strip() for d in days) if days is not None else None,
                           tuple(w.strip() for w in words), speakers)


def config_from_dict(raw: dict[str, Any], origin: str = "<memory>", *, own_subpages: bool = False) -> EventConfig:
    """`own_subpages`: targets may be subpages of the root in a user namespace (an on-wiki
    config, whose root is the page holding it; see wikiconfig)."""
    _check_known(raw, origin)
    event = _table(raw, "event", origin)
    where = f"{origin} [event]"
    root = event.get("root", "")
    if not isinstance(root, str):
        raise ConfigError(f"{where}: 'root' must be a string")
    days, day_numbers = _day_list(event.get("days", []), where, bool(root.strip().strip("/")))
    if not days:
        raise ConfigError(f"{where}: missing key 'days' (the Day pages, relative to root)")
    name = PlainText(_str(event, "name", where, required=False) or default_name(root))
    event_id = _str(event, "id", where, required=False) or default_id(root.strip().strip("/"), days)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", event_id):
        raise ConfigError(f"{where}: 'id' must be letters, digits, '.', '_' and '-' (it names the state file)")
    year = event.get("year")
    if year is None:
        m = re.search(r"\b(19|20)\d\d\b", f"{name} {root}")
        year = int(m.group(0)) if m else None
    elif isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2999:
        raise ConfigError(f"{where}: 'year' must be a year such as 2018")

    targets_raw = _table(raw, "targets", origin, required=False)
    twhere = f"{origin} [targets]"
    by_key = kinds_by_key()
    unknown = [key for key in targets_raw if key not in by_key]
    if unknown:
        raise ConfigError(f"{twhere}: unknown key '{unknown[0]}' (known: {', '.join(by_key)})")
    targets = Targets(tuple((kind.name, title) for key, kind in by_key.items()
                            if (title := _str(targets_raw, key, twhere, required=False)) is not None))
    site_raw = _table(raw, "site", origin, required=False)
    site = SiteConfig(
        family=_str(site_raw, "family", f"{origin} [site]", required=False) or "meta",
        code=_str(site_raw, "code", f"{origin} [site]", required=False) or "meta",
    )
    areas_raw = _table(raw, "areas", origin, required=False)
    areas = []
    owner: dict[str, str] = {}  # an alias's key (as AreaIndex compares names) -> its area
    for area, aliases in areas_raw.items():
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ConfigError(f"{origin} [areas]: aliases of {area!r} must be a list of strings, not {_a(aliases)}")
        for alias in (area, *aliases):
            first = owner.setdefault(AreaIndex.key(alias), area)
            if first != area:
                raise ConfigError(f"{origin} [areas]: {alias!r} is listed under both {first!r} and {area!r}")
        areas.append((PlainText(area), tuple(aliases)))
    markers = _table(raw, "markers", origin, required=False)
    mwhere = f"{origin} [markers]"
    bot_raw = _table(raw, "bot", origin, required=False)
    bwhere = f"{origin} [bot]"
    throttle = bot_raw.get("throttle")
    maxlag = bot_raw.get("maxlag", 5)
    parse_timeout = bot_raw.get("parse_timeout", 120)
    if isinstance(parse_timeout, bool) or not isinstance(parse_timeout, (int, float)) or not 0 < parse_timeout <= _MAX_SECONDS:
        raise ConfigError(f"{bwhere}: 'parse_timeout' must be a number of seconds > 0 and <= {_MAX_SECONDS}")
    if isinstance(throttle, bool) or isinstance(maxlag, bool):
        raise ConfigError(f"{bwhere}: 'throttle' and 'maxlag' must be numbers, not true/false")
    if throttle is not None and (not isinstance(throttle, (int, float)) or not 0 <= throttle <= _MAX_SECONDS):
        raise ConfigError(f"{bwhere}: 'throttle' must be a number of seconds >= 0 and <= {_MAX_SECONDS}")
    if not isinstance(maxlag, int) or maxlag < 1:
        raise ConfigError(f"{bwhere}: 'maxlag' must be a positive integer")
    bot = BotConfig(
        stop_page=_str(bot_raw, "stop_page", bwhere, required=False),
        status_page=_str(bot_raw, "status_page", bwhere, required=False),
        throttle=None if throttle is None else float(throttle),
        maxlag=maxlag,
        parse_timeout=float(parse_timeout),
    )
    navbox_layout = event.get("navbox_layout", "side")
    if navbox_layout not in NAVBOX_LAYOUTS:
        raise ConfigError(f"{where}: 'navbox_layout' must be \"side\" or \"bar\"")
    render = event.get("render", "wikitext")
    if render not in RENDER_MODES:
        raise ConfigError(f"{where}: 'render' must be \"wikitext\" or \"module\"")
    if render == "module" and not targets.get("data"):
        raise ConfigError(f"{where}: 'render = \"module\"' needs a data page ([targets] data): "
                          "the module renders the pages from it")
    summary = event.get("summary")
    if summary is not None and (not isinstance(summary, str) or not summary.strip()):
        raise ConfigError(f"{where}: 'summary' must be a page title")
    accept = _accept(event.get("accept", ()), where)
    reading = _reading(_table(raw, "reading", origin, required=False), f"{origin} [reading]")
    config = EventConfig(
        id=event_id,
        name=name,
        root=root.strip().strip("/"),
        days=days,
        summary=summary.strip() if summary else None,
        year=year,
        targets=targets,
        site=site,
        areas=tuple(areas),
        session_markers=_regexes(_str_list(markers, "session", mwhere), mwhere),
        part_markers=_regexes(_str_list(markers, "part", mwhere), mwhere),
        bot=bot,
        navbox_layout=navbox_layout,
        render=render,
        reading=reading,
        origin=origin,
        day_numbers=day_numbers,
        accept=accept,
    )
    check_targets(config, origin, subpages_of=config.root if own_subpages else None)
    return config
