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

from tests.conftest import SAMPLES, free_port, wait_until_up

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    kg = tmp_path_factory.mktemp("site") / "kg"
    exe = str(Path(sys.executable).parent / "budgetkg")
    subprocess.run([exe, "build", str(SAMPLES), "--store", str(kg)], check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen([exe, "serve", str(kg), "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url, "/queries", proc)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


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
