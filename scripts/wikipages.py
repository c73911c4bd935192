"""An event's pages from a `dir:` folder (title ``A/B`` is ``DIR/A/B.wikitext``) loaded into the
test wiki, with a stub of every template they call that neither the folder nor the bot
provides, so that the pages read as on Meta (`make wiki PAGES=DIR`, ``testwiki.py serve
--load-pages DIR``). Only the standard library; the wiki is reached through testwiki's
ApiSession."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUFFIX = ".wikitext"
OPT_IN = "Event track bot"
#: templates of the bot (templates sync installs them): never stubbed
BOT_TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates_wikitext" / "Template"

#: stubs of templates Meta's event pages often call, close enough to read the page
KNOWN_STUBS = {
    "Clear": '<div style="clear:both"></div>',
    "Anchor": '<span id="{{{1|}}}"></span>',
    "TOC right": '<div style="float:right">__TOC__</div>',
    "Note": "{{{1|}}}",
    "Main": "<div>''Main page: [[{{{1|}}}]]''</div>",
    "Quote": "<blockquote>{{{1|{{{text|}}}}}}</blockquote>",
    "Quote box": '<div style="border:1px solid #aaa; padding:0.4em">{{{quote|{{{1|}}}}}}</div>',
    "Nowrap": '<span style="white-space:nowrap">{{{1|}}}</span>',
    "Done": "✓",
    "Tick": "✓",
    "Ping": "@[[User:{{{1|}}}|{{{1|}}}]]",
    "U": "[[User:{{{1|}}}|{{{1|}}}]]",
    "Languages": "",
    "Translatable": "",
    "Collapse top": '<div style="border:1px solid #aaa">',
    "Collapse bottom": "</div>",
}
#: a template call's name: not a parser function, magic word, subst or a page of another namespace
_CALL = re.compile(r"\{\{\s*(?!#|subst:|safesubst:|msgnw:)([^{}|\n<>\[\]]+?)\s*(?:\||\}\})")
_MAGIC = re.compile(r"^[A-Z][A-Z0-9 _]*(?::|$)")


@dataclass
class Loaded:
    """What was loaded: the pages, the stubs written, the pages that opt in."""

    pages: list[str] = field(default_factory=list)
    stubs: list[str] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)


def folder_pages(folder: Path) -> dict[str, str]:
    """Title -> text of every page file in the folder (hidden files left out)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder of pages: {folder}")
    out = {}
    for path in sorted(folder.rglob("*" + SUFFIX)):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        out[str(path.relative_to(folder))[: -len(SUFFIX)]] = path.read_text("utf-8")
    return out


def called_templates(texts: Iterable[str]) -> set[str]:
    """The titles (``Template:Name``) of the templates these texts call."""
    out = set()
    for text in texts:
        for name in _CALL.findall(re.sub(r"<!--.*?-->", "", text, flags=re.S)):
            name = " ".join(name.replace("_", " ").split())
            if not name or _MAGIC.match(name) or name.startswith(":") or "{" in name:
                continue
            if name.lower().startswith("template:"):
                name = name.split(":", 1)[1]
            elif ":" in name:
                continue  # another namespace's page, transcluded
            out.add("Template:" + name[:1].upper() + name[1:])
    return out


def named_targets(texts: Iterable[str]) -> set[str]:
    """The templates an Event track bot call names as a page to write (``| navbox = Template:X``)."""
    return {"Template:" + " ".join(m.split()) for text in texts
            for m in re.findall(r"^\|\s*\w+\s*=\s*Template:([^\n|}]+)", text, re.M | re.I)}


def stubbable(title: str) -> bool:
    """A template to stub: a known one, or one that does not look like an event's navigation box
    (which the bot may be about to write: a stub there would be a page it refuses to take over)."""
    name = title.split(":", 1)[1]
    if name in KNOWN_STUBS:
        return True
    return "/" not in name and not re.search(r"navigation|navbox|\bnav\b", name, re.I)


def stub_text(title: str) -> str:
    """A stub of a Meta template: its known body, or a small note naming it."""
    name = title.split(":", 1)[1]
    known = KNOWN_STUBS.get(name)
    note = f"<noinclude>A stub of Meta-Wiki's [[{title}]] for the test wiki (scripts/wikipages.py).</noinclude>"
    if known is not None:
        return known + note
    return f'<span class="testwiki-stub" style="color:#72777d">[{name}]</span>' + note


def load(api: Any, folder: Path) -> Loaded:
    """Save the folder's pages on the wiki through `api` (an admin's ApiSession), then a stub of
    every template they call that the folder does not hold and the bot does not install."""
    pages = folder_pages(folder)
    done = Loaded()
    bots = {"Template:" + p.stem for p in BOT_TEMPLATES_DIR.glob("*" + SUFFIX)}
    # the stubs first: a page saved before a template it calls exists shows it as a red link
    for title in sorted(called_templates(pages.values()) - set(pages) - bots - named_targets(pages.values())):
        if stubbable(title) and api.page_text(title) is None:
            api.edit(title, stub_text(title), "a stub of a Meta-Wiki template")
            done.stubs.append(title)
    for title, text in pages.items():
        api.edit(title, text, f"loaded from {Path(folder).name}")
        done.pages.append(title)
        if re.search(r"\{\{\s*" + OPT_IN.replace(" ", "[ _]") + r"\s*[|}]", text, re.I):
            done.roots.append(title)
    return done
