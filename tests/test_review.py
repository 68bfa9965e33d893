"""`budgetkg review`: a real PDF's findings by severity, with the rule in plain Chinese, both
values and a crop of the page with the figures outlined, checked in headless Chromium; a clean
document says so; CSV and JSON carry the same findings."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budgetkg.cli import app

PDF = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-pdf" / "d45e923176f9fe4b.pdf"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _pdf():
    if not PDF.exists():
        pytest.skip("../shared/corpus-pdf not found")
    return PDF


def test_review_html_in_chromium(tmp_path):
    out = tmp_path / "review.html"
    res = CliRunner().invoke(app, ["review", str(_pdf()), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "1 error(s)" in res.output
    text = out.read_text(encoding="utf-8")
    assert "文字说明中的金额应与表格一致" in text and "2,961.68" in text and "data:image/png;base64," in text
    if not CHROMIUM:
        pytest.skip("chromium not installed")
    from tests.browser import Browser
    b = Browser(tmp_path / "profile", width=1100)
    try:
        b.goto(out.as_uri())
        assert b.js("document.querySelector('#profile').textContent").startswith("\n部门上海市普陀区财政局\n年度2024")
        errors = b.js("[...document.querySelectorAll('.finding.error')].map(e => e.dataset.rule)")
        assert errors == ["statement-equals-table"]
        cells = b.js("[...document.querySelectorAll('.finding.error td')].map(e => e.textContent)")
        assert "0.3" in cells and "2,961.68" in cells and any("第21页" in c for c in cells)
        loaded = b.js("[...document.querySelectorAll('.finding.error img')].map(i => i.complete && i.naturalWidth > 100)")
        assert loaded == [True]
        assert b.js("document.querySelector('#clean')") is None
        b.screenshot(tmp_path / "review.png")
        assert (tmp_path / "review.png").stat().st_size > 10_000
    finally:
        b.close()


def test_review_csv_and_json_of_a_clean_document(tmp_path):
    from tests.conftest import corpus_file
    doc = corpus_file("003")
    res = CliRunner().invoke(app, ["review", str(doc), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["profile"]["年度"] == 2023
    assert [f for f in data["findings"] if f["severity"] != "info"] == []
    out = tmp_path / "r.html"
    CliRunner().invoke(app, ["review", str(doc), "-o", str(out)])
    assert "未发现错误或警告" in out.read_text(encoding="utf-8")
    res = CliRunner().invoke(app, ["review", str(corpus_file("001")), "--format", "csv"])
    lines = res.output.splitlines()
    assert lines[0].startswith("severity,family,rule,rule_cn")
    assert any(l.startswith("error,表内与表间勾稽,three-public-total-equals-parts") and ",86.35," in l for l in lines)
