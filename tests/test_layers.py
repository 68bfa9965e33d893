"""Layers run one way, bottom to top (DESIGN.md §3): an import that goes up a layer fails here.

Every import is counted, those under `if TYPE_CHECKING:` too — a name imported for types only
still ties a module to the one above it."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: source folder → package name (pyproject's package-dir)
PACKAGES = {"extract": "budgetkg.extract", "graph": "budgetkg.graph", "budgetkg": "budgetkg"}

#: module (or subpackage, by prefix) → its layer; a module may import its own layer and below
LAYERS = [
    # leaves every stage, graph/ and the CLI may use: the error tree, the namespaces, numbers, words
    (0, ("budgetkg.extract.errors", "budgetkg.extract.vocab", "budgetkg.extract.numbers",
         "budgetkg.extract.lexicon", "budgetkg.extract.processes")),
    (1, ("budgetkg.extract.model",)),
    (2, ("budgetkg.extract.readers",)),                 # readers → model
    (2, ("budgetkg.extract.tables",)),                  # tables → model, lexicon
    (3, ("budgetkg.extract.recognise", "budgetkg.extract.narrative", "budgetkg.extract.statements",
         "budgetkg.extract.coverage", "budgetkg.extract.figures", "budgetkg.extract.checks",
         "budgetkg.extract.rules", "budgetkg.extract.rules_tables", "budgetkg.extract.rules_text",
         "budgetkg.extract.project_text")),
    (4, ("budgetkg.extract.extraction",)),              # what one document became
    (5, ("budgetkg.extract.to_rdf",)),                  # above the model, below the pipeline
    (6, ("budgetkg.extract.pipeline",)),
    (7, ("budgetkg.extract.review",)),
    (8, ("budgetkg.graph",)),                           # graph above extract
    (9, ("budgetkg.cli",)),                             # the CLI on top: nothing imports it
]
#: modules of one layer that must not import each other's packages (readers never read tables)
APART = [("budgetkg.extract.readers", "budgetkg.extract.tables")]


#: the packages themselves (their __init__), matched exactly, never as a prefix
PACKAGE_LAYERS = {"budgetkg.extract": 0, "budgetkg.extract.readers": 2, "budgetkg.extract.tables": 2,
                  "budgetkg.graph": 8, "budgetkg": 9}
#: a module of extract/ not named above is one more stage (it may use the model, readers, tables
#: and the other stages, never the pipeline): name it in LAYERS when it belongs elsewhere
STAGE = 3


def layer_of(module: str) -> int:
    if module in PACKAGE_LAYERS:
        return PACKAGE_LAYERS[module]
    best, rank = -1, None
    for r, names in LAYERS:
        for n in names:
            if (module == n or module.startswith(n + ".")) and len(n) > best:
                best, rank = len(n), r
    if rank is None or (rank == 9 and module.startswith("budgetkg.extract.")):
        return STAGE if module.startswith("budgetkg.extract.") else 9
    return rank


def modules() -> dict[str, Path]:
    out = {}
    for folder, package in PACKAGES.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join([package, *parts])] = path
    return out


def imports_of(module: str, path: Path) -> set[str]:
    """The package's modules this file imports, relative imports resolved."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("budgetkg"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("budgetkg"):
                continue
            if node.module is None or target in ("budgetkg.extract",):
                # `from . import narrative, tables`: each name is a module
                out.update(f"{target}.{a.name}" for a in node.names)
            else:
                out.add(target)
    return out


def violations() -> list[str]:
    found = modules()
    bad = []
    for module, path in sorted(found.items()):
        own = layer_of(module)
        for target in sorted(imports_of(module, path)):
            if target not in found and target.rsplit(".", 1)[0] in found:
                target = target.rsplit(".", 1)[0]           # `from .x import name`
            if layer_of(target) > own:
                bad.append(f"{module} (layer {own}) imports {target} (layer {layer_of(target)})")
            for a, b in APART:
                for x, y in ((a, b), (b, a)):
                    if module.startswith(x) and target.startswith(y):
                        bad.append(f"{module} imports {target}: {x} and {y} stand apart")
    return bad


def test_no_import_goes_up_a_layer():
    assert violations() == []


def test_the_rdf_stage_never_imports_the_pipeline():
    path = modules()["budgetkg.extract.to_rdf"]
    assert "budgetkg.extract.pipeline" not in imports_of("budgetkg.extract.to_rdf", path)


def test_leaves_import_nothing_of_the_package():
    found = modules()
    for leaf in ("budgetkg.extract.errors", "budgetkg.extract.vocab", "budgetkg.extract.model"):
        assert imports_of(leaf, found[leaf]) == set(), leaf


def test_the_walk_sees_an_import_going_up(tmp_path):
    # the test itself: a to-RDF module naming the pipeline, even for types only, is caught
    path = tmp_path / "to_rdf.py"
    path.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .pipeline import Extraction\n")
    assert imports_of("budgetkg.extract.to_rdf", path) == {"budgetkg.extract.pipeline"}
    assert layer_of("budgetkg.extract.pipeline") > layer_of("budgetkg.extract.to_rdf")
    path.write_text("from ..graph.store import open_store\n")
    assert layer_of(next(iter(imports_of("budgetkg.extract.checks", path)))) > layer_of("budgetkg.extract.checks")
