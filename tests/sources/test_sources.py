"""Sources: the folder source detects conflicts and deletions; exports round-trip and are read
compressed too; the snapshot is current."""

from __future__ import annotations

import bz2
import gzip
import lzma
import subprocess
import sys
from importlib import resources

import pytest
from helpers import REPO, invoke

from wmstrategybot.errors import EditConflict, PageDeleted, SourceError
from wmstrategybot.sources import DirSource, DumpSource, PageRecord, export_xml


def test_dir_source_round_trip(tmp_path):
    src = DirSource(tmp_path)
    page = src.read(["A/B"])["A/B"]
    assert not page.exists
    src.save(page, "hello\n", "s")
    again = src.read(["A/B"])["A/B"]
    assert again.text == "hello\n" and (tmp_path / "A" / "B.wikitext").is_file()


def test_dir_source_refuses_to_overwrite_a_newer_text(tmp_path):
    src = DirSource(tmp_path)
    (tmp_path / "P.wikitext").write_text("v1")
    page = src.read(["P"])["P"]
    (tmp_path / "P.wikitext").write_text("v2 by a person")
    with pytest.raises(EditConflict):
        src.save(page, "bot text", "s")
    assert (tmp_path / "P.wikitext").read_text() == "v2 by a person"


def test_dir_source_does_not_recreate_a_deleted_page(tmp_path):
    src = DirSource(tmp_path)
    (tmp_path / "P.wikitext").write_text("v1")
    page = src.read(["P"])["P"]
    (tmp_path / "P.wikitext").unlink()
    with pytest.raises(PageDeleted):
        src.save(page, "bot text", "s")
    assert not (tmp_path / "P.wikitext").exists()


def test_dir_source_refuses_odd_titles(tmp_path):
    with pytest.raises(SourceError):
        DirSource(tmp_path).read(["../escape"])


def test_export_round_trip(tmp_path):
    pages = [PageRecord("Foo", "a <b> & c\n", 5, "2020-01-01T00:00:00Z"), PageRecord("Template:X", "", 6)]
    path = tmp_path / "e.xml"
    path.write_bytes(export_xml(pages))
    read = DumpSource(path).read(["Foo", "Template:X", "Missing"])
    assert read["Foo"].text == "a <b> & c\n" and read["Foo"].revision == 5
    assert read["Template:X"].text == "" and not read["Missing"].exists


def test_bundled_snapshot_is_built_from_the_snapshot_folder():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "build_snapshot.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress])
def test_compressed_dumps_are_read_directly_whatever_their_name(tmp_path, compress):
    """First-hour trial (issue 12)."""
    from wmstrategybot.sources import SNAPSHOT_FILE

    xml = resources.files("wmstrategybot").joinpath("data", SNAPSHOT_FILE).read_bytes()
    plain = tmp_path / "plain.xml"
    plain.write_bytes(xml)
    packed = tmp_path / "export.xml"  # no .gz/.bz2 suffix: known by its magic bytes
    packed.write_bytes(compress(xml))
    a = invoke("--source", f"dump:{plain}", "extract")
    b = invoke("--source", f"dump:{packed}", "extract")
    assert a.exit_code == 0 and b.exit_code == 0, b.output
    assert a.stdout == b.stdout


def test_a_broken_compressed_dump_is_one_line(tmp_path):
    """First-hour trial (issue 12)."""
    bad = tmp_path / "x.xml.gz"
    bad.write_bytes(gzip.compress(b"<mediawiki/>")[:15])
    result = invoke("--source", f"dump:{bad}", "extract")
    assert result.exit_code == 2 and "cannot decompress" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
