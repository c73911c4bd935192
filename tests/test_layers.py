"""The pure layers import neither pywikibot, requests nor click, and touch neither the clock
nor the disk (checked in a fresh interpreter, and on their source); no module of the package
imports itself through others (no import cycle)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

#: the pure layers, one list: test_types.py checks the same modules under mypy --strict
PURE = ["model", "extract", "render", "merge", "wikitext", "escaping", "signuptable", "signups", "areas", "markers", "daypage",
        "published", "blockscan", "wikiscan", "coverage", "dayblocks", "outline",
        "datapage", "targetpages", "fragments",
        "numbering", "summarypage", "titles", "planning", "wikiconfig", "subtree"]
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


def _imports(path: Path) -> set[str]:
    """The package's modules a module imports (relative imports, at any depth of the module)."""
    module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__")
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("wmstrategybot"):
            found.add(node.module)
    return found


def test_no_import_cycle():
    graph = {".".join(p.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__"): p
             for p in SRC.rglob("*.py")}
    edges = {m: sorted(d for d in _imports(p) if d in graph and d != m) for m, p in graph.items()}
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done

    def walk(module: str, path: list[str]) -> None:
        state[module] = 1
        for dep in edges[module]:
            assert state.get(dep) != 1, "import cycle: " + " -> ".join(path[path.index(dep):] + [module, dep])
            if dep not in state:
                walk(dep, path + [module])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [])


def test_the_docs_the_code_points_at_are_in_the_repository():
    repo = SRC.parents[1]
    named = {m for root in ("src", "tests", "bench", "scripts") for f in (repo / root).rglob("*.py")
             for m in re.findall(r"\bdocs/[\w./-]+\.md\b", f.read_text("utf-8"))}
    assert named and all((repo / m).is_file() for m in named), sorted(named)


def test_the_readme_layout_names_every_module():
    readme = (SRC.parents[1] / "README.md").read_text("utf-8")
    layout = readme[readme.index("## Layout"):]
    missing = [str(f.relative_to(SRC)) for f in sorted(SRC.rglob("*.py"))
               if f.name != "__init__.py" and not re.search(rf"\b{re.escape(f.name)}\b", layout)]
    assert not missing, missing
