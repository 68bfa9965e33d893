"""The linked-data pages in a real headless Chromium (Debian `chromium`), served by
`budgetkg serve` on 127.0.0.1: the page a researcher opens for an IRI shows its facts and
links on to the resources it names."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import SAMPLES, serving

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    kg = tmp_path_factory.mktemp("site") / "kg"
    exe = str(Path(sys.executable).parent / "budgetkg")
    subprocess.run([exe, "build", str(SAMPLES), "--store", str(kg)], check=True, capture_output=True)
    with serving(kg) as url:
        yield url


def dom(url: str, profile: Path) -> str:
    """The page as Chromium renders it (its DOM after loading)."""
    if CHROMIUM is None:
        pytest.fail("Debian chromium is not installed (run.sh installs it)")
    out = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                          "--disable-background-networking", "--disable-component-update", "--disable-sync",
                          f"--user-data-dir={profile}", "--dump-dom", url], capture_output=True, text=True, timeout=60)
    return out.stdout


def test_division_page_in_chromium(site, tmp_path):
    html = dom(site + "/id/division/210200", tmp_path)        # 303 to /doc/division/210200, followed
    assert "<title>大连市</title>" in html and "<h1>大连市</h1>" in html    # titled by its label
    assert "<code>https://w3id.org/budgetkg/id/division/210200</code>" in html
    assert 'href="/id/division/210000"' in html                  # the province, one click away


def test_document_page_links_its_department(site, tmp_path):
    docs = httpx.get(site + "/sparql", params={"query": "SELECT ?d WHERE { ?d a <https://w3id.org/budgetkg/ontology#BudgetDocument> }"},
                     headers={"accept": "application/sparql-results+json"}).json()
    iri = docs["results"]["bindings"][0]["d"]["value"]
    html = dom(site + "/id/" + iri.split("/id/", 1)[1], tmp_path)
    assert "大连市数字经济促进局" in html or "/id/department/210200/" in html
    assert 'href="/id/department/210200/' in html


def test_question_form_and_answer_in_chromium(site, tmp_path):
    html = dom(site + "/", tmp_path)
    assert 'action="/queries/subject"' in html and 'name="code" value="2150805"' in html
    html = dom(site + "/queries/subject?code=2150805&format=html", tmp_path)
    assert "2 row(s)" in html                                   # the 2024 budget and the 2023 final account
    assert "8000000" in html and "6800000" in html
    assert 'href="/id/document/' in html                        # every answer links to its document


def test_answers_name_the_unit_of_every_amount(site, tmp_path):
    from tests.browser import Browser
    b = Browser(tmp_path / "profile", width=900)
    try:
        b.goto(site + "/queries/zhuanjingtexin?format=html")
        head = b.js("[...document.querySelectorAll('th')].map(e => e.textContent)")
        assert "amount (元)" in head and "printed (万元)" in head       # 600.00 printed in 万元 = 6,000,000 元
        rows = b.js("[...document.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(e => e.textContent))")
        assert any("6000000\u00a0元" in cells and "600.00\u00a0万元" in cells for cells in rows)
        # place and department names stay on one line, however narrow the window
        lines = b.js("[...document.querySelectorAll('td.nw')].map(td => { const r = document.createRange();"
                     " r.selectNodeContents(td); return [td.textContent, "
                     "new Set([...r.getClientRects()].map(x => Math.round(x.top))).size]; })")
        assert lines and all(n == 1 for t, n in lines if t), lines
        assert {t for t, _ in lines} >= {"辽宁省", "大连市", "大连市数字经济促进局"}
        b.screenshot(tmp_path / "zhuanjingtexin.png")
        b.goto(site + "/queries/totals?format=html")
        head = b.js("[...document.querySelectorAll('th')].map(e => e.textContent)")
        assert head[3:6] == ["total (元)", "basic (元)", "project (元)"]
        b.screenshot(tmp_path / "totals.png")
        assert b.problems() == []
    finally:
        b.close()


def test_every_numeric_column_of_every_question_has_a_unit_or_none_by_design(site):
    from budgetkg.graph.pages import UNITLESS, column_unit, is_number
    from budgetkg.graph.queries import named_queries
    for name in named_queries():
        data = httpx.get(f"{site}/queries/{name}", headers={"accept": "application/sparql-results+json"}).json()
        for row in data["results"]["bindings"]:
            for var, b in row.items():
                if is_number(b):
                    assert column_unit(var, name) or var in UNITLESS, (name, var)


def test_department_division_and_subject_pages(site, tmp_path):
    dept = "/id/department/210200/数字经济促进局"
    html = dom(site + dept, tmp_path)
    assert "<h1>大连市数字经济促进局</h1>" in html and "<h2>Documents</h2>" in html
    assert "<th>total (元)</th>" in html
    assert '<td class="num">2024</td><td>预算</td><td class="nw">大连市</td><td class="num">12500000&nbsp;元</td>' \
           '<td class="num">4500000&nbsp;元</td><td class="num">8000000&nbsp;元</td>' in html
    html = dom(site + "/id/division/210000", tmp_path)              # the province: the city's documents too
    assert "<h1>辽宁省</h1>" in html and html.count('<td class="nw">大连市</td>') == 2
    assert '<a href="/id/department/210200/%E6%95%B0%E5%AD%97%E7%BB%8F%E6%B5%8E%E4%BF%83%E8%BF%9B%E5%B1%80">' \
           '大连市数字经济促进局</a>' in html
    html = dom(site + "/id/subject/function/2150805", tmp_path)
    assert "<th>2023 executed (元)</th><th>2024 approved (元)</th>" in html
    assert '<a href="/id/document/ad1b5e3b5018b4b5">6800000</a>&nbsp;元' in html
    assert '<a href="/id/document/cdbd905e594d9b92">8000000</a>&nbsp;元' in html


def test_page_parameters_are_bound_not_pasted(site):
    # an IRI that would break out of the query text if it were pasted is just an unknown resource
    r = httpx.get(site + "/doc/department/x%3E%20%7D%20%3Fs%20%3Fp%20%3Fo%20%7B", headers={"accept": "text/html"})
    assert r.status_code == 404 and r.text.startswith("Error: nothing is known about")
