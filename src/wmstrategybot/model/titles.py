"""Page titles and namespaces: the namespace a title names, and why the bot must never write to
a title (a talk or user page, a forbidden character...). Pure."""

from __future__ import annotations

import re

#: English canonical namespace names and common aliases, by number (the site's own table,
#: localized names included, is checked again by the site source before any read or write)
NAMESPACES: dict[str, int] = {
    "media": -2, "special": -1, "talk": 1, "user": 2, "user talk": 3, "u": 2, "ut": 3,
    "project": 4, "project talk": 5, "meta": 4, "meta talk": 5, "wp": 4, "wt": 5,
    "wikipedia": 4, "wikipedia talk": 5, "testwiki": 4, "testwiki talk": 5,
    "file": 6, "file talk": 7, "image": 6, "image talk": 7, "mediawiki": 8, "mediawiki talk": 9,
    "template": 10, "template talk": 11, "tm": 10, "help": 12, "help talk": 13,
    "category": 14, "category talk": 15, "cat": 14, "module": 828, "module talk": 829,
    "topic": 2600,
}
#: where an event's pages belong: main, Project, Template (and the root's namespace, see below)
TARGET_NAMESPACES = frozenset({0, 4, 10})
#: MediaWiki (interface messages, site scripts) and Module (Lua): never a target, not even for a
#: root there (a Module's /doc page anyone may edit)
CODE_NAMESPACES = frozenset({8, 828})
#: User and User talk: never a target, whatever the root (nor is any talk page, an odd number)
USER_NAMESPACES = frozenset({2, 3})
#: characters MediaWiki does not allow in a title, and what marks a fragment or a link
_TITLE_FORBIDDEN = re.compile(r"[#<>\[\]{}|\x00-\x1f\x7f]|~~~|%[0-9A-Fa-f]{2}|^\.\.?(?:/|$)|/\.\.?(?:/|$)")
#: what MediaWiki rewrites in a title, so that the page it names is not the one the text says:
#: an HTML entity (decoded: "&#91;" is "[") and the direction marks it strips
_TITLE_REWRITTEN = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);|[\u200e\u200f\u202a-\u202e]"
                              r"|[\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def namespace_of(title: str, names: dict[str, int] | None = None) -> int:
    """The namespace number of a title by its prefix (0 when the prefix names no namespace)."""
    prefix, sep, rest = title.partition(":")
    if not sep:
        return 0
    key = " ".join(prefix.replace("_", " ").split()).casefold()
    number = (names or NAMESPACES).get(key)
    if number is None and key.endswith(" talk"):
        return 1  # some talk namespace (localized names are the site's to know)
    return 0 if number is None else number


def title_problem(title: str) -> str | None:
    """Why `title` names no page of the wiki as written, or None: empty, an interwiki or
    escaped link, a character no title may hold, one the wiki rewrites, or too long."""
    if not title.strip():
        return "is empty"
    if title.lstrip().startswith(":"):
        return "starts with ':' (an interwiki or escaped link, not a page of this wiki)"
    bad = _TITLE_FORBIDDEN.search(title)
    if bad:
        what = "a section fragment ('#')" if bad.group() == "#" else f"{bad.group()!r}"
        return f"contains {what}, which no page title may hold"
    rewritten = _TITLE_REWRITTEN.search(title)
    if rewritten:
        char = rewritten.group()
        what = (f"the HTML entity {char!r} (write the character itself)" if char[0] == "&"
                else f"an invisible direction mark (U+{ord(char):04X}), which the wiki removes" if char in "\u200e\u200f"
                or "\u202a" <= char <= "\u202e" else f"a space other than a plain one (U+{ord(char):04X}), which the wiki "
                "reads as a plain space: write a space")
        return f"contains {what}"
    if len(title.encode("utf-8")) > 255:
        return "is longer than a page title may be (255 bytes)"
    return None


def target_problem(title: str, root_namespace: int, namespace: int | None = None,
                   user_page: bool = False, subpages_of: str | None = None, json: bool = False) -> str | None:
    """Why the bot must never write to `title`, or None. `namespace`: as the site resolved it;
    `user_page`: a user's page may do (the status page, in the bot account's own user space);
    `subpages_of`: a user's page may do if it is a subpage of this one (an on-wiki config's root);
    `json`: the page is saved as JSON (the data page), whatever its title."""
    problem = title_problem(title)
    if problem:
        return problem
    ns = namespace_of(title) if namespace is None else namespace
    if ns in (2, 8) and title.rstrip().lower().endswith((".js", ".css")):
        # MediaWiki makes these scripts and styles that run in people's browsers (the bot
        # account's own included): never generated from pages anyone may edit
        return f"is a script or style page (.js, .css) in namespace {ns}, which runs in people's browsers"
    if ns in (2, 8) and title.rstrip().lower().endswith(".json"):
        # the same protection covers JSON pages there (customjsonprotected): the wiki refuses
        # the bot's save every run; a problem of the config instead, shown at its line
        return (f"is a JSON page in namespace {ns}, which MediaWiki lets only its user (or an "
                "interface administrator) edit: name a data page without .json")
    if ns in (2, 8) and json:
        # saved as JSON, the page is one of those from then on: the bot's first save works and
        # the wiki refuses every later one (customjsonprotected)
        return (f"is in namespace {ns} and the data page is JSON, which MediaWiki lets only the page's user "
                "(or an interface administrator) edit there: leave data out, or serve the event from a "
                "root outside the user's space")
    if ns == 2 and subpages_of and title.startswith(subpages_of + "/"):
        user_page = True
    if user_page and ns == 2:
        return None if title.partition(":")[2].strip() else "names a namespace, not a page"
    if ns < 0 or ns in USER_NAMESPACES or ns % 2:
        kind = "a virtual page" if ns < 0 else "a user's page" if ns in USER_NAMESPACES else "a talk page"
        return f"is {kind} (namespace {ns}); the bot writes only in the main, Project and Template namespaces"
    if ns not in TARGET_NAMESPACES and (ns != root_namespace or ns in CODE_NAMESPACES):
        return (f"is in namespace {ns}; the bot writes only in the main, Project and Template namespaces "
                "and the event root's")
    if ns and not title.partition(":")[2].strip():
        return "names a namespace, not a page"
    return None


def normalize_title(title: str) -> str:
    """MediaWiki's form of a title: underscores as spaces, first letter upper case."""
    title = " ".join(title.replace("_", " ").split())
    return title[:1].upper() + title[1:] if title else title


def template_name(template: str) -> str:
    """A template's title without its namespace, as the wiki spells it: ``template:event_track_bot``
    is ``Event track bot``."""
    prefix, sep, rest = template.partition(":")
    if sep and " ".join(prefix.replace("_", " ").split()).casefold() == "template":
        template = rest
    return normalize_title(template)


def title_key(title: str) -> tuple[int, str]:
    """A title as MediaWiki compares them: namespace number, underscores as spaces, spaces
    collapsed, the first letter after the namespace capitalised."""
    title = " ".join(title.replace("_", " ").split())
    ns = namespace_of(title)
    prefix, sep, rest = title.partition(":")
    if sep and " ".join(prefix.split()).casefold() in NAMESPACES:
        title = rest.strip()
    else:
        ns = 0
    return ns, title[:1].upper() + title[1:]


def shown_title(key: tuple[int, str]) -> str:
    """A title key back as a title, with the namespace's canonical English name."""
    ns, rest = key
    if not ns:
        return rest
    name = next(n for n, number in NAMESPACES.items() if number == ns)
    return f"{name.title()}:{rest}"


def talk_title(title: str) -> str | None:
    """The talk page of a title (``Talk:A/B`` for ``A/B``); None where the namespace has none."""
    ns, rest = title_key(title)
    name = next((n for n, number in NAMESPACES.items() if number == ns + 1), None)
    if ns < 0 or ns % 2 or name is None:
        return None
    return f"{name[:1].upper()}{name[1:]}:{rest}"
