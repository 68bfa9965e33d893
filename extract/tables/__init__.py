"""Table interpreters, registered by name and imported lazily (rdflib's plugin seam).

Each module has ``recognise(table) -> kind | None`` (title *and* header signature,
never position) and ``interpret(table, unit_mult, …) -> Interpretation``. The first
module that recognises a table interprets it; order puts the specific before the general.
"""
from __future__ import annotations

import importlib
from types import ModuleType

from ..model import Table

_REGISTRY: list[tuple[str, str]] = []


def register(name: str, module: str) -> None:
    """Register an interpreter module (dotted path) under `name`; later ones are tried last."""
    _REGISTRY.append((name, module))


def _load(module: str) -> ModuleType:
    return importlib.import_module(module)


for _name in ("performance", "three_public", "projects", "totals", "line_items", "classified"):
    register(_name, f"{__name__}.{_name}")


def recognise(table: Table) -> tuple[str, ModuleType] | None:
    for _, module in _REGISTRY:
        mod = _load(module)
        kind = mod.recognise(table)
        if kind:
            return kind, mod
    return None
