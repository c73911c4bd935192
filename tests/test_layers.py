"""The package's folders are its layers: each imports only the layers below it, the pure ones
leave the network, the command line, the clock and the disk out, no module imports itself
through others, and no chain of imports is deeper than `MAX_DEPTH` modules."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "wmstrategybot"
#: the layers, from the ground up (docs/DESIGN.md): a layer imports only those before it
LAYERS = ("model", "wikitext", "extract", "render", "config", "plan", "sources", "publish", "job", "cli")
#: modules at the package's top, which every layer may import (they import only each other)
TOP = ("__init__", "errors", "exits", "options", "privacy")
#: the layers that touch nothing outside the process: no network, command line, clock or disk
PURE = ("model", "wikitext", "extract", "render", "config", "plan")
#: the one module of a pure layer that reads the disk, and why
DISK = {"config.files": "reads the TOML files a user names on the command line"}
#: the longest chain of imports between the package's modules, counted in modules
MAX_DEPTH = 10


def _module(path: Path) -> str:
    return ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__") or "__init__"


MODULES = {_module(p): p for p in sorted(SRC.rglob("*.py"))}


def _layer(module: str) -> str:
    return module.split(".")[0]


@cache
def imports(module: str) -> frozenset[str]:
    """The package's modules `module` imports, at any depth of its code: a name imported from a
    package's face counts as an import of the module the face takes it from."""
    path = MODULES[module]
    package = module.split(".") if path.name == "__init__.py" and module != "__init__" else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1] + ([node.module] if node.module else [])
                target = ".".join(base)
            elif (node.module or "").startswith("wmstrategybot"):
                target = node.module.removeprefix("wmstrategybot").lstrip(".")
            else:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                found.add(sub if sub in MODULES else target or "__init__")
        elif isinstance(node, ast.Import):
            found.update(a.name.removeprefix("wmstrategybot.") for a in node.names
                         if a.name.startswith("wmstrategybot.") and a.name.removeprefix("wmstrategybot.") in MODULES)
    found.discard(module)
    return frozenset(_through_faces(found))


def _through_faces(found: set[str]) -> set[str]:
    out = set()
    for m in found:
        if m in LAYERS and MODULES[m].name == "__init__.py":
            out |= imports(m)  # a package's face: the modules it hands on
        else:
            out.add(m)
    return out


def test_each_layer_imports_only_the_layers_below_it():
    wrong = []
    for module in MODULES:
        layer = _layer(module)
        for dep in imports(module):
            other = _layer(dep)
            if module in TOP or layer in TOP:
                ok = other in TOP
            else:
                ok = other in TOP or other == layer or LAYERS.index(other) < LAYERS.index(layer)
            if not ok:
                wrong.append(f"{module} -> {dep}")
    assert not wrong, wrong


def test_every_module_is_in_a_layer_or_at_the_top():
    assert {_layer(m) for m in MODULES} <= {*LAYERS, *TOP}
    assert len([m for m in MODULES if "." not in m]) - len(LAYERS) <= 6  # the top: at most 6 modules


def test_no_import_cycle_and_no_chain_deeper_than_max_depth():
    depth: dict[str, tuple[int, tuple[str, ...]]] = {}
    walking: list[str] = []

    def walk(module: str) -> tuple[int, tuple[str, ...]]:
        assert module not in walking, "import cycle: " + " -> ".join(walking[walking.index(module):] + [module])
        if module not in depth:
            walking.append(module)
            below = max((walk(d) for d in imports(module)), default=(0, ()))
            walking.pop()
            depth[module] = (below[0] + 1, (module, *below[1]))
        return depth[module]

    deepest = max(walk(m) for m in MODULES)
    assert deepest[0] <= MAX_DEPTH, " -> ".join(deepest[1])


def test_pure_layers_leave_network_and_cli_libraries_out():
    pure = [m for m in MODULES if _layer(m) in PURE]
    code = (
        "import sys\n"
        + "".join(f"import wmstrategybot.{m}\n" for m in pure)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('pywikibot', 'requests', 'click')"
        " or m.startswith(('wmstrategybot.sources', 'wmstrategybot.publish', 'wmstrategybot.job', 'wmstrategybot.cli')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_pure_layers_use_neither_clock_nor_disk():
    # a Path may be a value (a config's file names); what reads or writes the disk may not be here
    forbidden = re.compile(r"^\s*(import|from)\s+(time|datetime|os|shutil|tempfile|io)\b|\bopen\(|"
                           r"\.(read_text|write_text|read_bytes|write_bytes|exists|is_file|is_dir|mkdir|iterdir|glob|"
                           r"rglob|stat|unlink)\(|\bresources\.files\(", re.M)
    for module, path in MODULES.items():
        if _layer(module) in PURE and module not in DISK:
            found = forbidden.search(path.read_text("utf-8"))
            assert not found, f"{module}: {found.group(0)!r}"


def test_the_docs_the_code_points_at_are_in_the_repository():
    repo = SRC.parents[1]
    named = {m for root in ("src", "tests", "bench", "scripts") for f in (repo / root).rglob("*.py")
             for m in re.findall(r"\bdocs/[\w./-]+\.md\b", f.read_text("utf-8"))}
    assert named and all((repo / m).is_file() for m in named), sorted(named)


def test_the_readme_layout_names_every_layer():
    readme = (SRC.parents[1] / "README.md").read_text("utf-8")
    layout = readme[readme.index("## Layout"):]
    missing = [f"{layer}/" for layer in LAYERS if f"{layer}/" not in layout]
    assert not missing, missing
