"""Where page texts come from and go to: the bundled snapshot, an XML export, a folder, a wiki.

Every source reads a batch of titles into ``PageRecord``s (text plus the revision it was
read at) and, if writable, saves a new text *against the record it was computed from*:
a page that changed or vanished since is an ``EditConflict``/``PageDeleted``, never
overwritten. This is the only module (with ``sitesource``) that touches page storage.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import lzma
import os
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import EditConflict, PageDeleted, SourceError, WatchlistUnavailable  # noqa: F401 (re-exported)

SNAPSHOT_FILE = "wmcon2018-snapshot.xml"
EXPORT_NAMESPACE_PREFIX = "http://www.mediawiki.org/xml/export-"


@dataclass(frozen=True)
class PageRecord:
    """A page as read: text None means the page does not exist."""

    title: str
    text: str | None
    revision: int | str | None = None
    timestamp: str | None = None
    content_model: str = "wikitext"
    user: str | None = None  # who made the revision, where the source knows

    @property
    def exists(self) -> bool:
        return self.text is not None


@dataclass(frozen=True)
class SaveResult:
    title: str
    revision: int | str | None
    created: bool
    changed: bool = True  # False when the wiki answered nochange
    #: the wiki merged the edit with a newer revision than the one read (edits that do not
    #: overlap): the saved page holds text the bot did not plan from
    merged: bool = False
    #: pywikibot's own ``simulate`` is set (user-config.py): nothing was sent, nothing saved
    simulated: bool = False


@dataclass(frozen=True)
class Change:
    """One entry of a wiki's recent changes: an edit or creation (`revision`) or a log entry (`log`)."""

    title: str
    kind: str  # edit | new | log
    revision: int = 0
    log: int = 0
    timestamp: str = ""
    user: str = ""
    log_type: str = ""  # delete, move, protect, contentmodel...
    target: str = ""  # where a move log entry moved the page to


class Source:
    """Base: a read-only collection of pages."""

    name = "source"
    writable = False

    def read(self, titles: Iterable[str]) -> dict[str, PageRecord]:
        raise NotImplementedError

    #: the account edits are made as, where the source has one
    user: str | None = None

    def revisions(self, titles: Iterable[str]) -> dict[str, int | str | None]:
        """The latest revision of each title (None: no such page), as cheaply as the source can."""
        return {t: p.revision for t, p in self.read(titles).items()}

    #: the source's clock at its first request since this was last set to None (wikis only)
    server_time: str | None = None

    def changes(self, since: str) -> list[Change]:
        """Changes to the watched pages since a time of the source's clock (wikis only)."""
        raise WatchlistUnavailable(f"{self.name} has no watchlist")

    def removals(self, titles: Iterable[str]) -> dict[str, str]:
        """Of these missing titles, those a person deleted or moved away, and how (wikis only)."""
        return {}

    def watch(self, titles: Iterable[str]) -> set[str]:
        """Watch these titles; the titles confirmed (wikis only)."""
        raise WatchlistUnavailable(f"{self.name} has no watchlist")

    def save(self, page: PageRecord, text: str, summary: str, content_model: str | None = None) -> SaveResult:
        raise SourceError(f"{self.name} is read-only; publish to --source dir:PATH or site")

    def describe(self) -> str:
        return self.name


def normalize_title(title: str) -> str:
    """MediaWiki's form of a title: underscores as spaces, first letter upper case."""
    title = " ".join(title.replace("_", " ").split())
    return title[:1].upper() + title[1:] if title else title


#: magic bytes of the compressed exports read directly, and how to open them
_COMPRESSED = ((b"\x1f\x8b", lambda f: gzip.GzipFile(fileobj=f)), (b"BZh", bz2.BZ2File), (b"\xfd7zXZ\x00", lzma.LZMAFile))
#: an uncompressed export larger than this is refused (a compressed bomb stays harmless)
MAX_EXPORT_BYTES = 1 << 30


class DumpSource(Source):
    """A MediaWiki XML export (Special:Export, any export-0.x version); read-only."""

    def __init__(self, path: str | Path, name: str | None = None, data: bytes | None = None):
        self.path = Path(path)
        self.name = name or f"dump:{path}"
        self._pages = self._load(data)

    def _decompressed(self, data: bytes) -> bytes:
        """The XML of a gzip, bzip2 or xz compressed export (as Special:Export and the dump sites
        deliver them), known by its magic bytes whatever the file's name; other data as it is."""
        opener = next((o for magic, o in _COMPRESSED if data.startswith(magic)), None)
        if opener is None:
            return data
        try:
            with opener(io.BytesIO(data)) as f:
                xml = f.read(MAX_EXPORT_BYTES + 1)
        except (OSError, EOFError, lzma.LZMAError) as exc:
            raise SourceError(f"{self.path}: cannot decompress the export: {exc}") from None
        if len(xml) > MAX_EXPORT_BYTES:
            raise SourceError(f"{self.path}: the export is larger than {MAX_EXPORT_BYTES >> 20} MiB uncompressed")
        return xml

    def _load(self, data: bytes | None) -> dict[str, PageRecord]:
        if data is None:
            if not self.path.is_file():
                raise SourceError(f"export file not found: {self.path}")
            try:
                data = self.path.read_bytes()
            except OSError as exc:
                raise SourceError(f"cannot read {self.path}: {exc.strerror}") from None
        data = self._decompressed(data)
        try:
            root = ET.fromstring(data)
        except ET.ParseError as exc:
            raise SourceError(f"{self.path} is not a MediaWiki XML export (not XML: {exc})") from None
        ns, _, tag = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
        if tag != "mediawiki" or not ns.startswith(EXPORT_NAMESPACE_PREFIX):
            raise SourceError(f"{self.path} is not a MediaWiki XML export (root element <{tag}>)")
        q = f"{{{ns}}}"
        pages: dict[str, PageRecord] = {}
        for page in root.iter(f"{q}page"):
            title = page.findtext(f"{q}title")
            revisions = page.findall(f"{q}revision")
            if not title or not revisions:
                continue
            rev = max(revisions, key=lambda r: r.findtext(f"{q}timestamp") or "")
            text_el = rev.find(f"{q}text")
            if text_el is None or text_el.get("deleted") is not None:
                continue
            rev_id = rev.findtext(f"{q}id")
            pages[normalize_title(title)] = PageRecord(
                title=normalize_title(title),
                text=text_el.text or "",
                revision=int(rev_id) if rev_id and rev_id.isdigit() else rev_id,
                timestamp=rev.findtext(f"{q}timestamp"),
                content_model=rev.findtext(f"{q}model") or "wikitext",
            )
        return pages

    def titles(self) -> list[str]:
        return sorted(self._pages)

    def read(self, titles: Iterable[str]) -> dict[str, PageRecord]:
        out = {}
        for t in titles:
            out[t] = self._pages.get(normalize_title(t)) or PageRecord(t, None)
        return out


class SnapshotSource(DumpSource):
    """The bundled offline copy of the 2018 track's pages."""

    def __init__(self) -> None:
        data = resources.files(__package__).joinpath("data", SNAPSHOT_FILE).read_bytes()
        super().__init__(SNAPSHOT_FILE, name="snapshot", data=data)


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

    def save(self, page: PageRecord, text: str, summary: str, content_model: str | None = None) -> SaveResult:
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


def open_source(spec: str, config: object | None = None) -> Source:
    """``snapshot`` | ``dump:PATH`` | ``dir:PATH`` | ``site``."""
    if spec == "snapshot":
        return SnapshotSource()
    kind, colon, arg = spec.partition(":")
    if kind in ("dump", "dir") and not arg.strip():
        what = "an export file" if kind == "dump" else "a folder"
        raise SourceError(f"--source {kind}: needs a path: {kind}:PATH, PATH being {what}")
    if kind == "dump":
        return DumpSource(arg)
    if kind == "dir":
        return DirSource(arg)
    if spec == "site":
        from .sitesource import SiteSource

        return SiteSource.from_config(config)
    raise SourceError(f"unknown source {spec!r}: use snapshot, site, dump:PATH or dir:PATH")


def export_xml(pages: Iterable[PageRecord]) -> bytes:
    """A Special:Export (export-0.11) document holding the given pages, one revision each."""
    ns = EXPORT_NAMESPACE_PREFIX + "0.11/"
    ET.register_namespace("", ns)
    q = f"{{{ns}}}"
    root = ET.Element(f"{q}mediawiki", {"version": "0.11", "{http://www.w3.org/XML/1998/namespace}lang": "en"})
    for page_id, page in enumerate(pages, start=1):
        if page.text is None:
            continue
        p = ET.SubElement(root, f"{q}page")
        ET.SubElement(p, f"{q}title").text = page.title
        ET.SubElement(p, f"{q}ns").text = str(_namespace_number(page.title))
        ET.SubElement(p, f"{q}id").text = str(page_id)
        rev = ET.SubElement(p, f"{q}revision")
        ET.SubElement(rev, f"{q}id").text = str(page.revision)
        ET.SubElement(rev, f"{q}timestamp").text = page.timestamp or "2018-06-01T00:00:00Z"
        contributor = ET.SubElement(rev, f"{q}contributor")
        ET.SubElement(contributor, f"{q}username").text = "Snapshot"
        ET.SubElement(contributor, f"{q}id").text = "1"
        ET.SubElement(rev, f"{q}model").text = page.content_model
        ET.SubElement(rev, f"{q}format").text = "application/json" if page.content_model == "json" else "text/x-wiki"
        sha1 = hashlib.sha1(page.text.encode("utf-8")).hexdigest()
        text = ET.SubElement(rev, f"{q}text", {"bytes": str(len(page.text.encode("utf-8"))), "xml:space": "preserve"})
        text.text = page.text
        ET.SubElement(rev, f"{q}sha1").text = sha1
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


_NAMESPACES = {"user": 2, "user talk": 3, "project": 4, "file": 6, "mediawiki": 8, "template": 10, "help": 12, "category": 14}


def _namespace_number(title: str) -> int:
    prefix, sep, _ = title.partition(":")
    return _NAMESPACES.get(prefix.lower(), 0) if sep else 0


def dir_titles(root: Path) -> list[str]:
    """Titles of every page file under a dir: source folder, sorted."""
    suffix = DirSource.SUFFIX
    return sorted(str(p.relative_to(root).with_suffix("")) for p in root.rglob("*" + suffix) if not p.name.startswith("."))
