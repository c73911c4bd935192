"""The files the package ships for the wiki, as they lie in the installed package or beside
``src/`` in a checkout: page skeletons, and the templates with their /doc pages."""

from __future__ import annotations

from importlib import resources
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


def template_pages(folder: Path | None = None) -> dict[str, str]:
    """``templates_wikitext/Template/A/b.wikitext`` -> page ``Template:A/b`` and its text;
    ``Module/A.lua`` -> the Lua module ``Module:A`` (``Module/A/doc.wikitext`` its /doc).

    /doc pages come first: a template saved after its /doc gets its TemplateData at once,
    without waiting for the wiki's job queue to re-parse it; the module before the templates.
    """
    base = folder or templates_dir()
    pages = {}
    for namespace, suffix in (("Module", "*.lua"), ("Module", "*.wikitext"), ("Template", "*.wikitext")):
        root = base / namespace
        for path in sorted(root.rglob(suffix)) if root.is_dir() else ():
            name = str(path.relative_to(root).with_suffix(""))
            pages[f"{namespace}:{name}"] = path.read_text("utf-8")
    return dict(sorted(pages.items(), key=lambda kv: (not kv[0].endswith("/doc"), not kv[0].startswith("Module:"),
                                                      kv[0])))


def content_model(title: str) -> str:
    """The content model of a page of templates_wikitext/: a module's is Lua (Scribunto)."""
    return "Scribunto" if title.startswith("Module:") and not title.endswith("/doc") else "wikitext"
