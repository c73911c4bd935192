"""Sources: the folder source detects conflicts and deletions; exports round-trip; snapshot is current."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import REPO

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
