"""The files the package ships for the wiki, as they lie in the installed package or beside
``src/`` in a checkout: page skeletons, and the templates with their /doc pages."""

from __future__ import annotations

from importlib import resources
import re
from pathlib import Path


def templates_dir() -> Path:
    """``templates_wikitext/``: inside the installed package, or beside ``src/`` in a checkout."""
    packaged = Path(str(resources.files("wmstrategybot"))) / "templates_wikitext"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates_wikitext"


def load_skeletons(folder: Path | None = None) -> dict[str, str]:
    folder = (folder or templates_dir()) / "pages"
    return {p.stem: p.read_text("utf-8") for p in sorted(folder.glob("*.wikitext"))}


#: the tag that loads a template's TemplateStyles sheet (only a wiki with TemplateStyles knows it)
_TEMPLATESTYLES = re.compile(r"<templatestyles\b[^>]*/>")


def template_pages(folder: Path | None = None, templatestyles: bool = True) -> dict[str, str]:
    """``templates_wikitext/Template/A/b.wikitext`` -> page ``Template:A/b`` and its text;
    ``Module/A.lua`` -> the Lua module ``Module:A`` (``Module/A/doc.wikitext`` its /doc);
    ``Template/A/styles.css`` -> the TemplateStyles sheet ``Template:A/styles.css``.

    Without `templatestyles` (a wiki without the TemplateStyles extension) the sheets are left
    out and the templates' ``<templatestyles .../>`` tags taken out: such a wiki would show the
    tag as text. /doc pages come first: a template saved after its /doc gets its TemplateData at
    once, without waiting for the wiki's job queue to re-parse it; the module and the sheets
    before the templates.
    """
    base = folder or templates_dir()
    pages = {}
    kinds = [("Module", "*.lua"), ("Module", "*.wikitext"), ("Template", "*.wikitext")]
    for namespace, suffix in kinds + ([("Template", "*.css")] if templatestyles else []):
        root = base / namespace
        for path in sorted(root.rglob(suffix)) if root.is_dir() else ():
            name = str(path.relative_to(root) if suffix == "*.css" else path.relative_to(root).with_suffix(""))
            text = path.read_text("utf-8")
            pages[f"{namespace}:{name}"] = text if templatestyles else _TEMPLATESTYLES.sub("", text)
    return dict(sorted(pages.items(), key=lambda kv: (not kv[0].endswith("/doc"), not kv[0].startswith("Module:")
                                                      and not kv[0].endswith(".css"), kv[0])))


def content_model(title: str) -> str:
    """The content model of a page of templates_wikitext/: a module's is Lua (Scribunto), a
    TemplateStyles sheet's sanitized-css."""
    if title.endswith(".css"):
        return "sanitized-css"
    return "Scribunto" if title.startswith("Module:") and not title.endswith("/doc") else "wikitext"
