"""A MediaWiki XML export (Special:Export, any export-0.x version, compressed or not) as a
read-only source, and the writer of such exports."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import lzma
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from wmstrategybot.errors import SourceError
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.model.titles import namespace_of, normalize_title
from wmstrategybot.sources.base import Source, pages_calling

EXPORT_NAMESPACE_PREFIX = "http://www.mediawiki.org/xml/export-"


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

    def embedded_in(self, template: str) -> list[str]:
        return pages_calling(self._pages.values(), template)

    def read(self, titles: Iterable[str]) -> dict[str, PageRecord]:
        out = {}
        for t in titles:
            out[t] = self._pages.get(normalize_title(t)) or PageRecord(t, None)
        return out


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
        ET.SubElement(p, f"{q}ns").text = str(namespace_of(page.title))
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


