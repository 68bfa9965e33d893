"""A store built from a few files of ../shared/corpus-real, once per test session: explanations
published without their tables beside the tables they explain (北京市审计局 2026, 江苏省委办公厅
2017–2019) and two years of one street office (万里街道 2024, 2025)."""
from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-real"
FILES = {
    "bj-text": "calinchow-del+renwu/002_北京/2026年北京市审计局部门预算.pdf",
    "bj-tables": "calinchow-del+renwu/002_北京/审计局_附件2：北京市审计局2026年度部门预算报表.pdf",
    "js2017-text": "ae86jack+open-budget/江苏省委办公厅2017年部门预算.pdf",
    "js2017-tables": "ae86jack+open-budget/江苏省委办公厅2017年预算公开表格.pdf",
    "js2018-text": "ae86jack+open-budget/江苏省委办公厅2018年度部门预算公开文件.pdf",
    "js2018-tables": "ae86jack+open-budget/江苏省委办公厅2018年度部门预算公开表.pdf",
    "js2019-text": "ae86jack+open-budget/江苏省委办公厅2019年度部门预算公开文件.pdf",
    "js2019-tables": "ae86jack+open-budget/江苏省委办公厅2019年度部门预算公开表格.pdf",
    "wanli2024": "zxj6827111-blip+GovBudgetChecker/上海市普陀区人民政府万里街道办事处24年预算.pdf",
    "wanli2025": "zxj6827111-blip+GovBudgetChecker/上海市普陀区人民政府万里街道办事处25年预算.pdf",
}


@functools.lru_cache(maxsize=1)
def _build() -> tuple[Path, dict[str, str]]:
    from budgetkg.extract.to_rdf import Minter
    from budgetkg.graph.build import build
    path = Path(tempfile.mkdtemp(prefix="kg-real-")) / "kg"
    reports = build([REAL / f for f in FILES.values()], path, validate=False)
    assert all(r.ok for r in reports), [r.error for r in reports if not r.ok]
    import hashlib
    docs = {k: Minter().document(hashlib.sha256((REAL / f).read_bytes()).hexdigest()) for k, f in FILES.items()}
    return path, docs


def real_store():
    """(store, document IRI by key) — skipped when the real corpus is not beside the repository."""
    if not all((REAL / f).is_file() for f in FILES.values()):
        pytest.skip("../shared/corpus-real not found")
    from budgetkg.graph.store import open_store
    path, docs = _build()
    return open_store(path, read_only=True), docs
