"""The pure layers import neither pywikibot, requests nor click (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

PURE = ["model", "extract", "render", "merge", "wikitext", "signuptable", "areas", "config"]


def test_pure_layers_leave_network_and_cli_libraries_out():
    code = (
        "import sys\n"
        + "".join(f"import wmstrategybot.{m}\n" for m in PURE)
        + "bad = sorted(m for m in ('pywikibot', 'requests', 'click', 'wmstrategybot.sources',"
        " 'wmstrategybot.publish', 'wmstrategybot.cli') if m in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
