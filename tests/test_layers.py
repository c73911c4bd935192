"""The pure layers import neither pywikibot, requests nor click, and touch neither the clock
nor the disk (checked in a fresh interpreter, and on their source)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PURE = ["model", "extract", "render", "merge", "wikitext", "escaping", "signuptable", "signups", "areas", "markers", "daypage",
        "published", "blockscan", "coverage", "wikiconfig"]
SRC = Path(__file__).resolve().parents[1] / "src" / "wmstrategybot"


def test_pure_layers_leave_network_and_cli_libraries_out():
    code = (
        "import sys\n"
        + "".join(f"import wmstrategybot.{m}\n" for m in PURE)
        + "bad = sorted(m for m in ('pywikibot', 'requests', 'click', 'wmstrategybot.sources',"
        " 'wmstrategybot.publish', 'wmstrategybot.cli', 'wmstrategybot.run') if m in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_pure_layers_use_neither_clock_nor_disk():
    forbidden = re.compile(r"^\s*(import|from)\s+(time|datetime|os|pathlib|shutil|tempfile|io)\b|\bopen\(|\.read_text\(|"
                           r"\.write_text\(|\bresources\.files\(", re.M)
    for name in PURE:
        source = (SRC / f"{name}.py").read_text()
        assert not forbidden.search(source), f"{name}.py: {forbidden.search(source).group(0)!r}"
