"""The pure layers are clean under `mypy --strict` (skipped where mypy is not installed:
`pip install -e '.[test]'` brings it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_layers import (  # the modules `make typecheck` checks: the pure layers
    MODULES,
    PURE,
    _layer,
)


def test_the_pure_layers_are_clean_under_mypy_strict():
    pytest.importorskip("mypy")
    src = Path(__file__).resolve().parents[1] / "src"
    modules = [arg for name in MODULES if _layer(name) in PURE for arg in ("-m", f"wmstrategybot.{name}")]
    cache = f"--cache-dir={src.parent / '.mypy_cache'}"
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-error-summary", cache, *modules],
                            cwd=src, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
