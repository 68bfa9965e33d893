"""The profile of every file of ../shared/corpus-real against what its cover prints
(tests/real/profiles.toml, read by hand): issuing body, scope, level, division, year, kind.
A scan is refused with its OCR line; a blank template is described as a template."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from budgetkg.extract.errors import BudgetKGError
from tests.real_values import REAL, VALUES, extraction

DOCS = tomllib.loads((VALUES / "profiles.toml").read_text(encoding="utf-8"))["doc"]
LEVEL = {"街道乡镇": "街道"}


@pytest.mark.parametrize("d", DOCS, ids=[Path(d["file"]).name[:30] for d in DOCS])
def test_profile_as_printed_on_the_cover(d):
    if not (REAL / d["file"]).exists():
        pytest.skip("corpus-real not beside the repository")
    if d["kind"] == "扫描件":
        with pytest.raises(BudgetKGError, match="OCR needed"):
            extraction(d["file"])
        return
    if d["kind"] == "机器抽取":
        # another program's extraction (one row per year, no issuer): refused, with the reason
        with pytest.raises(BudgetKGError, match="not a published document|no budget table"):
            extraction(d["file"])
        return
    p = extraction(d["file"]).profile
    if d["kind"] == "模板":
        assert p.template and p.department is None
        assert (p.division_code, p.year) == (d["division"], d["year"])
        return
    got = dict(body=p.department if p.scope != "本级" else p.department + "本级", scope=p.scope, level=p.level,
               division=p.division_code or "", year=p.year, kind=p.document_kind)
    want = dict(body=d["body"], scope=d["scope"], level=LEVEL.get(d["level"], d["level"]),
                division=d["division"] if d["level"] != "中央" else "", year=d["year"], kind=d["kind"])
    assert got == want
