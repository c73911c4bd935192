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
    """``templates_wikitext/Template/A/b.wikitext`` -> page ``Template:A/b`` and its text.

    /doc pages come first: a template saved after its /doc gets its TemplateData at once,
    without waiting for the wiki's job queue to re-parse it.
    """
    root = (folder or templates_dir()) / "Template"
    pages = {}
    for path in root.rglob("*.wikitext"):
        name = str(path.relative_to(root).with_suffix(""))
        pages[f"Template:{name}"] = path.read_text("utf-8")
    return dict(sorted(pages.items(), key=lambda kv: (not kv[0].endswith("/doc"), kv[0])))
