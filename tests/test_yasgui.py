"""The query page in a real headless Chromium: YASGUI (vendored by tools/vendor_yasgui.sh,
served from this server, no CDN) with every named question preloaded; a query typed into the
editor, run with the run button, answered in YASR's table — screenshots in the test's folder."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from budgetkg.graph.queries import named_queries
from budgetkg.graph.server import YASGUI_JS
from tests.browser import Browser
from tests.conftest import ROOT, SAMPLES, serving

TYPED = """PREFIX bkg: <https://w3id.org/budgetkg/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?source ?title WHERE { ?d a bkg:BudgetDocument ; dct:source ?source ; dct:title ?title } ORDER BY ?source"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not YASGUI_JS.is_file():       # run.sh vendors it; a bare checkout does it here
        r = subprocess.run(["bash", str(ROOT / "tools" / "vendor_yasgui.sh")], capture_output=True, text=True)
        if r.returncode != 0:
            pytest.fail(f"YASGUI could not be vendored: {r.stderr.strip()}")
    kg = tmp_path_factory.mktemp("yasgui") / "kg"
    exe = str(Path(sys.executable).parent / "budgetkg")
    subprocess.run([exe, "build", str(SAMPLES), "--store", str(kg)], check=True, capture_output=True)
    with serving(kg) as url:
        yield url


@pytest.fixture
def browser(tmp_path):
    b = Browser(tmp_path / "profile")
    yield b
    b.close()


def test_yasgui_is_served_from_here_with_its_version(site):
    page = httpx.get(site + "/query").text
    assert '<script src="/static/yasgui/yasgui.min.js"' in page and "cdn" not in page.lower()
    assert "unpkg" not in page and "jsdelivr" not in page
    assert httpx.get(site + "/static/yasgui/VERSION").text.startswith("@zazuko/yasgui@4.6.2\n")
    js = httpx.get(site + "/static/yasgui/yasgui.min.js")
    assert js.status_code == 200 and len(js.content) > 500_000


def test_every_question_is_a_tab_with_its_description(site, browser, tmp_path):
    browser.goto(site + "/query")
    browser.wait_for("window.budgetkgYasgui && document.querySelectorAll('.tabsList .tab').length > 0")
    tabs = browser.js("[...document.querySelectorAll('.tabsList .tab')].map(e => e.textContent.replace('✖', '').trim())")
    assert tabs == [q.title for q in named_queries().values()]
    # the picker opens a question's tab, with its description and its query, the default bound
    browser.js("const s = document.getElementById('question');"
               "s.value = [...s.options].find(o => o.text === 'Spending on one functional subject').value;"
               "s.dispatchEvent(new Event('change'))")
    assert browser.js("document.getElementById('description').textContent") == named_queries()["subject"].question
    text = browser.js("budgetkgYasgui.getTab().getYasqe().getValue()")
    assert text.startswith("# title: Spending on one functional subject")
    assert 'VALUES (?code) { ("2150805") }' in text
    browser.screenshot(tmp_path / "yasgui-subject-tab.png")
    assert browser.problems() == []


def test_type_a_query_run_it_read_the_table(site, browser, tmp_path):
    browser.goto(site + "/query")
    browser.wait_for("window.budgetkgYasgui && document.querySelector('.CodeMirror')")
    browser.click(".CodeMirror-lines")                      # focus the editor
    browser.key("a", "KeyA", 65, modifiers=2)               # Ctrl+A: select the preloaded question
    browser.type(TYPED)                                      # typed over it
    assert browser.js("budgetkgYasgui.getTab().getYasqe().getValue()") == TYPED
    browser.click(".yasqe_queryButton")                      # the run button
    browser.wait_for("document.querySelectorAll('.yasr .dataTable tbody tr').length >= 2", timeout=30)
    header = browser.js("[...document.querySelectorAll('.yasr .dataTable thead th')].map(e => e.textContent.trim())")
    rows = browser.js("[...document.querySelectorAll('.yasr .dataTable tbody tr')]"
                      ".map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent.trim()))")
    assert [h for h in header if h] == ["source", "title"]
    assert [r[-2:] for r in rows] == [["dalian_digital_2023_final.txt", "\"大连市数字经济促进局\"@zh"],
                                      ["dalian_digital_2024_budget.txt", "\"大连市数字经济促进局\"@zh"]]
    shot = browser.screenshot(tmp_path / "yasgui-answer.png")
    assert shot.stat().st_size > 10_000
    assert browser.problems() == []
