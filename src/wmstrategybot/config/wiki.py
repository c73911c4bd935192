"""An event's configuration on the wiki: the parameters of {{Event track bot}} on its root page.

The page holding the template is the event's root. Its parameters are read with
mwparserfromhell and given to the same ``config_from_dict`` as a TOML config, so every check
(titles, namespaces, markers, areas) applies alike; on top of those, every page the config
makes the bot write must lie inside the root's subtree (subtree.py, beside the operator's
opt-in rule). Problems come back with the line of the page and the parameter at fault; a config
with problems is never acted on.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from typing import Any

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Tag, Template, Wikilink
from mwparserfromhell.wikicode import Wikicode

from wmstrategybot.config.event import config_from_dict
from wmstrategybot.config.subtree import subtree_problem
from wmstrategybot.errors import ConfigError
from wmstrategybot.model.settings import RENDER_MODES, EventConfig, SiteConfig
from wmstrategybot.model.titles import namespace_of, target_problem, title_key
from wmstrategybot.render.kinds import AREA, KINDS, kinds_by_param
from wmstrategybot.wikitext.text import MAX_PAGE_BYTES, page_bytes

#: the config template's title, without its namespace
TEMPLATE = "Event track bot"
#: the problem of a page listed as transcluding the template whose text does not call it (it
#: transcludes it through another template, or a redirect): no status page is written there
NOT_CALLED = f"the page does not call {{{{{TEMPLATE}}}}}"
#: the parameters before and after those that name the pages the bot writes (the page kinds')
_BEFORE = ("name", "days", "summary")
_AFTER = ("areas", "markers", "year", "navbox layout", "render", "accept",
          "heading level", "sessions from", "day headings", "break words", "speakers after comma")


def parameters() -> tuple[str, ...]:
    """The template's parameters (a contract, like the command line), in the order of its
    TemplateData: a parameter for each page kind of the registry, named by the kind."""
    return (*_BEFORE, *(kind.template_param for kind in KINDS.values()), *_AFTER)


#: the parameters of the bot's own page kinds
PARAMETERS = parameters()
#: what stands for the area's name while a per-area kind's title pattern is checked as a title
_AREA_MARK = "\u2042area\u2042"
#: Day pages an on-wiki config may name: each is read on every run of the event
MAX_DAYS = 100
#: template calls that stand for one character inside a value (``{{!}}`` is how a '|' is written)
_CHARACTER_TEMPLATES = {"!": "|", "=": "="}


def status_page_for(root: str) -> str:
    """The page where the bot reports on the event whose root is `root`."""
    return f"{root}/Bot status"


@dataclass(frozen=True)
class ConfigProblem:
    """Why an on-wiki config is not acted on: the page's line and the parameter at fault."""

    line: int | None
    key: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (f"line {self.line}" if self.line else "", self.key or "") if part)
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class WikiConfig:
    """The config read from one page: `config` is None whenever there are `problems`."""

    page: str
    config: EventConfig | None
    problems: tuple[ConfigProblem, ...]


def _is_config_call(template: Template) -> bool:
    name = "".join(str(n) for n in template.name.nodes if not isinstance(n, Comment))
    name = " ".join(name.replace("_", " ").split())
    prefix, sep, rest = name.partition(":")
    if sep:
        if namespace_of(name) != 10 or not prefix.strip():
            return False  # {{:Page}}, {{subst:...}}, {{msgnw:...}}: not a call of the template
        name = rest.strip()
    return name[:1].upper() + name[1:] == TEMPLATE


def _offset_of(code: Wikicode, node: Template, text: str) -> int:
    """Where `node` starts in `text` (the node may be nested in a tag or another template)."""
    mark = "\ue000"
    while mark in text:
        mark += "\ue001"
    code.replace(node, mark)
    offset = str(code).index(mark)
    code.replace(mark, node)
    return offset


@dataclass(frozen=True)
class _Value:
    line: int
    text: str
    links: tuple[str, ...]  # the wikilinks' targets, in order (for parameters that name pages)
    problem: str | None


def _value(code: Wikicode, line: int) -> _Value:
    """The text a parameter's value stands for: comments dropped, ``<nowiki>`` read as its
    text, ``{{!}}`` as '|'; other template calls are not expanded (a problem)."""
    out: list[str] = []
    links: list[str] = []
    problem = None
    for node in code.nodes:
        if isinstance(node, Comment):
            continue
        if isinstance(node, Tag) and str(node.tag).strip().lower() == "nowiki":
            out.append(str(node.contents) if node.contents is not None else "")
        elif isinstance(node, Template):
            name = str(node.name).strip()
            if name in _CHARACTER_TEMPLATES and not node.params:
                out.append(_CHARACTER_TEMPLATES[name])
            else:
                problem = problem or (f"holds a template call ({{{{{name[:40]}}}}}), which the bot does not expand: "
                                      "write the value as plain text ('|' as {{!}})")
                out.append(str(node))
        else:
            if isinstance(node, Wikilink):
                links.append(str(node.title).strip())
            out.append(str(node))
    return _Value(line, "".join(out).strip(), tuple(links), problem)


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _params(template: Template, text: str, offset: int, problems: list[ConfigProblem]) -> dict[str, _Value]:
    """The named parameters with their values and lines; positional, unknown and repeated
    ones are problems."""
    found: dict[str, _Value] = {}
    cursor = offset + 2 + len(str(template.name))
    for param in template.params:
        start = cursor + 1  # after the '|'
        cursor = start + len(str(param))
        raw = str(param)
        line = _line_at(text, start + len(raw) - len(raw.lstrip()))
        if not param.showkey:
            shown = str(param.value).strip()[:60]
            problems.append(ConfigProblem(line, None, f"an unnamed value ({shown!r}): every parameter is named, such as "
                                          "days=Day 1, Day 2 (a '|' inside a value is written {{!}})"))
            continue
        name = "".join(str(n) for n in param.name.nodes if not isinstance(n, Comment)).strip()
        known = parameters()
        if name not in known:
            close = difflib.get_close_matches(" ".join(name.replace("_", " ").split()).lower(), known, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            # on one line: the name is shown on the status page and in the report, a line each
            problems.append(ConfigProblem(line, " ".join(name.split()),
                                          f"unknown parameter ({hint}known: {', '.join(known)})"))
            continue
        if name in found:
            problems.append(ConfigProblem(line, name, f"given twice (first on line {found[name].line}): keep one"))
            continue
        found[name] = _value(param.value, line)
    return found


def _page_name(value: _Value) -> str:
    """A parameter naming one page: its text, or the target of the one link it is written as."""
    if len(value.links) == 1 and re.fullmatch(r"\[\[[^\[\]]*\]\]", value.text):
        return value.links[0]
    return value.text


def _relative_names(text: str) -> list[str]:
    """``Day 1, Day 2`` (or one a line, or ``* [[/Day 1]]`` lines) -> ["Day 1", "Day 2"]."""
    names = []
    for item in re.split(r"[,\n]", text):
        item = item.strip().lstrip("*").strip()
        link = re.fullmatch(r"\[\[([^\[\]|]*)(?:\|[^\[\]]*)?\]\]", item)
        if link:
            item = link.group(1).strip()
        item = item.strip("/").strip() if item not in ("/", ".") else "."
        if item:
            names.append(item)
    return names


def _entries(value: _Value) -> list[tuple[int, str]]:
    """The non-empty lines of a value (a '*' at the start dropped), each with its page line."""
    out = []
    for n, raw in enumerate(value.text.split("\n")):
        entry = raw.strip().lstrip("*").strip()
        if entry:
            out.append((value.line + n, entry))
    return out


def _target(root: str, name: str, json: bool = False) -> tuple[str, str | None]:
    """A target parameter's page: '/x' is a subpage of the root, anything else a full title."""
    if name.startswith("/"):
        title = f"{root}/{name.strip('/').strip()}"
    else:
        title = name
    why = subtree_problem(root, title)
    if why:
        return title, why
    if title_key(title) == title_key(status_page_for(root)):
        return title, "is the event's status page, which the bot keeps for its reports: name another page"
    ns, rest = title_key(title)
    root_ns, root_rest = title_key(root)
    if ns == root_ns and rest.startswith(root_rest + "/"):
        title = f"{root}/{rest[len(root_rest) + 1:]}"  # in the root's own spelling
    elif ns == 10:  # Template:<root>...: 'Tm:' or 'Template:WP:' is no namespace on some wikis
        title = f"Template:{root}{title_key(rest)[1][len(root_rest):]}"
    return title, target_problem(title, namespace_of(root), subpages_of=root, json=json)


def _relative_problem(root: str, name: str) -> str | None:
    """Why a page named relative to the root (a day, the summary) cannot be read, or None."""
    if name == ".":
        return None
    title = f"{root}/{name}"
    return subtree_problem(root, title) or target_problem(title, namespace_of(root), user_page=True)


def _message(exc: ConfigError, origin: str) -> str:
    """A config error without its file and table prefix, in the template's words."""
    text = re.sub(rf"^{re.escape(origin)}(?: \[\w+\])?: ?", "", str(exc))
    text = text.replace("'render = \"module\"' needs a data page ([targets] data)", "'render = module' needs a data page (data)")
    return text.replace("'navbox_layout'", "'navbox layout'")


class _Builder:
    """Builds the raw config dict from the parameters, collecting problems as it goes."""

    def __init__(self, page: str, site: SiteConfig) -> None:
        self.page = page
        self.problems: list[ConfigProblem] = []
        self.base: dict[str, Any] = {
            "event": {"root": page, "days": ["."]},
            "site": {"family": site.family, "code": site.code},
            "bot": {"status_page": status_page_for(page)},
        }

    def problem(self, line: int | None, key: str | None, message: str) -> None:
        self.problems.append(ConfigProblem(line, key, message))

    def check(self, part: dict[str, Any], line: int | None, key: str | None) -> bool:
        """Whether the base config plus `part` passes every check of ``config_from_dict``."""
        raw = {table: dict(values) for table, values in self.base.items()}
        for table, values in part.items():
            raw.setdefault(table, {}).update(values)
        try:
            config_from_dict(raw, self.page, own_subpages=True)
        except ConfigError as exc:
            self.problem(line, key, _message(exc, self.page))
            return False
        return True


def _read_params(b: _Builder, params: dict[str, _Value]) -> dict[str, Any]:
    """Each parameter checked on its own (so each problem names its line and key); the raw
    config dict of those that passed."""
    raw: dict[str, Any] = {"event": {}, "targets": {}, "areas": {}, "markers": {}, "reading": {}}
    page = b.page
    for key, value in params.items():
        if value.problem:
            b.problem(value.line, key, value.problem)
            continue
        if not value.text:
            continue  # an empty parameter is one not given, as for the template itself
        part: dict[str, Any] = {}
        if key == "name":
            part = {"event": {"name": html.unescape(value.text)}}  # text, as the wiki shows it
        elif key == "year":
            part = {"event": {"year": int(value.text) if value.text.isascii() and value.text.isdigit() else value.text}}
        elif key == "navbox layout":
            part = {"event": {"navbox_layout": value.text}}
        elif key == "accept":
            part = {"event": {"accept": value.text}}
        elif key == "heading level":
            part = {"reading": {"heading_level": int(value.text) if value.text.isascii() and value.text.isdigit()
                                else value.text}}
        elif key == "sessions from":
            part = {"reading": {"sessions_from": value.text.strip()}}
        elif key in ("day headings", "break words"):
            # comma-separated or one a line ('none' for day headings: no heading is a day)
            items = [x.strip() for x in re.split(r"[,\n]", value.text) if x.strip()]
            if key == "day headings" and [x.lower() for x in items] == ["none"]:
                items = []
            part = {"reading": {key.replace(" ", "_"): items}}
        elif key == "speakers after comma":
            answer = value.text.strip().lower()
            if answer in ("yes", "no"):
                part = {"reading": {"speakers_after_comma": answer == "yes"}}
            else:
                b.problem(value.line, key, "must be yes (a name after a comma is a speaker) or no")
                continue
        elif key == "render":  # checked with the data page it needs, once every parameter is read
            if value.text not in RENDER_MODES:
                b.problem(value.line, key, "must be wikitext or module")
            else:
                raw["event"]["render"] = value.text
            continue
        elif key in ("days", "summary"):
            names = _relative_names(value.text)
            if key == "summary" and len(names) != 1:
                b.problem(value.line, key, "names one page, relative to this one (such as Summary)")
                continue
            if len(names) > MAX_DAYS:
                b.problem(value.line, key, f"names {len(names)} pages: at most {MAX_DAYS} (every one is read each run)")
                continue
            bad = next(((n, why) for n in names if (why := _relative_problem(page, n))), None)
            if bad:
                b.problem(value.line, key, f"{bad[0]!r}: the page {page}/{bad[0]} {bad[1]}")
                continue
            part = {"event": {"days": names}} if key == "days" else {"event": {"summary": names[0]}}
        elif key in (kinds := kinds_by_param()):
            kind = kinds[key]
            # a per-area kind's pattern is checked as a title with a stand-in for the area's name
            title, why = _target(page, _page_name(value).replace(AREA, _AREA_MARK), kind.content_model == "json")
            title = title.replace(_AREA_MARK, AREA)
            if why:
                b.problem(value.line, key, f"{title!r} {why}")
                continue
            part = {"targets": {kind.config_key: title}}
        elif key == "areas":
            part = {"areas": _areas(b, value)}
            if not part["areas"]:
                continue
        elif key == "markers":
            part = {"markers": _markers(b, value)}
        if b.check(part, value.line, key):
            for table, values in part.items():
                raw[table].update(values)
    if raw["event"].get("render") == "module" and not raw["targets"].get("data"):
        b.problem(params["render"].line, "render", "module mode renders the pages from the data page: "
                                                     "name it too (data = /Data.json)")
        raw["event"].pop("render")
    return raw


def _areas(b: _Builder, value: _Value) -> dict[str, list[str]]:
    """``Canonical = alias; alias`` entries, one a line."""
    areas: dict[str, list[str]] = {}
    for line, entry in _entries(value):
        name, _, aliases = entry.partition("=")
        if not name.strip():
            b.problem(line, "areas", f"{entry!r}: an entry is 'Area name = alias; alias'")
            continue
        areas.setdefault(name.strip(), []).extend(a.strip() for a in aliases.split(";") if a.strip())
    return areas


def _markers(b: _Builder, value: _Value) -> dict[str, list[str]]:
    """``session = regex`` and ``part = regex`` lines, each regex checked on its own line."""
    markers: dict[str, list[str]] = {"session": [], "part": []}
    for line, entry in _entries(value):
        kind, sep, regex = entry.partition("=")
        kind = kind.strip().lower()
        if not sep or kind not in markers or not regex.strip():
            b.problem(line, "markers", f"{entry[:60]!r}: a line is 'session = regular expression' or "
                                       "'part = regular expression'")
            continue
        if b.check({"markers": {kind: [regex.strip()]}}, line, "markers"):
            markers[kind].append(regex.strip())
    return markers


def read_wiki_config(page: str, text: str | None, site: SiteConfig) -> WikiConfig:
    """The event config of {{Event track bot}} on `page` (its root), or the problems that
    keep it from being acted on."""
    page = page.strip()
    if text is None:
        return WikiConfig(page, None, (ConfigProblem(None, None, "the page does not exist"),))
    if page_bytes(text) > MAX_PAGE_BYTES:
        return WikiConfig(page, None, (ConfigProblem(None, None, f"the page is larger than {MAX_PAGE_BYTES} bytes"),))
    code = mwparserfromhell.parse(text, skip_style_tags=True)
    # a call inside <includeonly> is not on the page (MediaWiki shows it only where the page is
    # transcluded): not this page's config, and no second call beside the real one
    hidden = {id(t) for tag in code.filter_tags(recursive=True, matches=lambda n: str(n.tag).strip().lower()
                                                  == "includeonly") if tag.contents is not None
              for t in tag.contents.filter_templates(recursive=True)}
    calls = [t for t in code.filter_templates(recursive=True) if _is_config_call(t) and id(t) not in hidden]
    if len(calls) != 1:
        if not calls:
            return WikiConfig(page, None, (ConfigProblem(None, None, NOT_CALLED),))
        lines = [_line_at(text, _offset_of(code, t, text)) for t in calls[:2]]
        return WikiConfig(page, None, (ConfigProblem(lines[1], None, (
            f"{{{{{TEMPLATE}}}}} is called {len(calls)} times (lines {lines[0]} and {lines[1]}"
            f"{' ...' if len(calls) > 2 else ''}): keep one")),))
    call = calls[0]
    offset = _offset_of(code, call, text)
    line = _line_at(text, offset)
    builder = _Builder(page, site)
    if not builder.check({}, line, None):
        return WikiConfig(page, None, tuple(builder.problems))
    params = _params(call, text, offset, builder.problems)
    if not params.get("days") or not params["days"].text:
        builder.problem(params["days"].line if "days" in params else line, "days",
                        "required: the Day pages, relative to this page, such as days=Day 1, Day 2")
    raw = _read_params(builder, params)
    if builder.problems:
        return WikiConfig(page, None, tuple(sorted(builder.problems, key=lambda p: (p.line or 0))))
    whole = {table: {**builder.base.get(table, {}), **raw.get(table, {})} for table in {*builder.base, *raw}}
    try:
        config = config_from_dict({k: v for k, v in whole.items() if v}, page, own_subpages=True)
    except ConfigError as exc:
        return WikiConfig(page, None, (ConfigProblem(line, None, _message(exc, page)),))
    return WikiConfig(page, config, ())
