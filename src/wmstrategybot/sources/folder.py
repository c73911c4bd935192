"""A folder with one file per page, readable and writable (``--source dir:PATH``)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from wmstrategybot.errors import EditConflict, PageDeleted, SourceError
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.sources.base import SaveResult, Source, pages_calling


def _revision_of(text: str) -> str:
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


class DirSource(Source):
    """A folder with one file per page: title ``A/B`` is ``PATH/A/B.wikitext``. Readable and writable.

    A page's revision is the checksum of its text, so a save checks that the file still
    holds what was read.
    """

    writable = True
    SUFFIX = ".wikitext"

    def __init__(self, path: str | Path):
        self.root = Path(path)
        self.name = f"dir:{path}"
        if not self.root.is_dir():
            raise SourceError(f"folder not found: {self.root}")

    def path_of(self, title: str) -> Path:
        parts = title.split("/")
        if any(p in ("", ".", "..") for p in parts) or "\x00" in title:
            raise SourceError(f"title cannot be stored as a file: {title!r}")
        return self.root.joinpath(*parts[:-1], parts[-1] + self.SUFFIX)

    def _read_one(self, title: str) -> PageRecord:
        path = self.path_of(title)
        try:
            with open(path, encoding="utf-8", newline="") as fh:  # keep CRLF and lone CR as they are
                text = fh.read()
        except FileNotFoundError:
            return PageRecord(title, None)
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(f"cannot read {path}: {exc}") from None
        model = "json" if title.endswith(".json") else "wikitext"
        return PageRecord(title, text, _revision_of(text), None, model)

    def read(self, titles: Iterable[str]) -> dict[str, PageRecord]:
        return {t: self._read_one(t) for t in titles}

    def embedded_in(self, template: str) -> list[str]:
        return pages_calling((self._read_one(t) for t in dir_titles(self.root)), template)

    def save(self, page: PageRecord, text: str, edit_summary: str, content_model: str | None = None) -> SaveResult:
        now = self._read_one(page.title)
        if page.exists and not now.exists:
            raise PageDeleted(f"{page.title}: deleted since it was read; not recreated")
        if now.revision != page.revision:
            raise EditConflict(f"{page.title}: changed since it was read")
        path = self.path_of(page.title)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".wmstrategybot-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return SaveResult(page.title, _revision_of(text), created=not page.exists)


def dir_titles(root: Path) -> list[str]:
    """Titles of every page file under a dir: source folder, sorted."""
    suffix = DirSource.SUFFIX
    return sorted(str(p.relative_to(root).with_suffix("")) for p in root.rglob("*" + suffix) if not p.name.startswith("."))
