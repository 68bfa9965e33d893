"""The graphs a build makes over the whole store — the checks across documents and the project
links — are made again only for the departments whose documents the build added or dropped: a
build of a few documents into a store of thousands reads a few departments, not the store (at
1,000 synthetic documents both took 45 s, then 27 s of compaction, at every build). What they
hold is what a build of the whole folder into a new store makes."""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from budgetkg.graph import across as across_module
from budgetkg.graph.across import ACROSS_GRAPH
from budgetkg.graph.build import build
from budgetkg.graph.engine import END_PENDING
from budgetkg.graph.project_links import PROJECT_LINKS_GRAPH
from budgetkg.graph.store import VERSION, open_store
from tests.conftest import SAMPLES

BUDGET = "dalian_digital_2024_budget.txt"
FINAL = "dalian_digital_2023_final.txt"


def _year_before(text: str) -> str:
    """Every year printed one year earlier (a 预算 of the year before, the same department)."""
    return re.sub(r"20\d\d", lambda m: str(int(m.group()) - 1), text)


def two_departments(tmp_path: Path) -> Path:
    """大连's 2024 预算, 2023 决算 and a 2023 预算 (the 2024 one a year earlier), and the same
    three for 沈阳 (another city: another department) — findings across documents and project
    links in both."""
    folder = tmp_path / "docs"
    folder.mkdir()
    budget = (SAMPLES / BUDGET).read_text(encoding="utf-8")
    final = (SAMPLES / FINAL).read_text(encoding="utf-8")
    for city, tag in (("大连", "dalian"), ("沈阳", "shenyang")):
        for name, text in ((f"{tag}_2024_budget.txt", budget), (f"{tag}_2023_final.txt", final),
                           (f"{tag}_2023_budget.txt", _year_before(budget))):
            (folder / name).write_text(text.replace("大连", city), encoding="utf-8")
    return folder


def graph_of(kg: Path, graph: str) -> set[str]:
    st = open_store(kg, read_only=True)
    out = {str(ox.Triple(q.subject, q.predicate, q.object))
           for q in st.quads_for_pattern(None, None, None, ox.NamedNode(graph))}
    del st
    return out


def departments(kg: Path) -> dict[str, str]:
    """City → the department IRI of its documents."""
    st = open_store(kg, read_only=True)
    out = {s["l"].value[:2]: s["d"].value for s in st.query(
        "SELECT DISTINCT ?d ?l WHERE { GRAPH ?g { ?g <https://w3id.org/budgetkg/ontology#issuedBy> ?d } "
        "?d <http://www.w3.org/2000/01/rdf-schema#label> ?l }", use_default_graph_as_union=True)}
    del st
    return out


@pytest.fixture
def checked(monkeypatch) -> list[set[str]]:
    """The departments each run of the checks across documents was given."""
    seen: list[set[str]] = []
    real = across_module.check_across

    def spy(docs):
        seen.append({d.department for d in docs})
        return real(docs)
    monkeypatch.setattr(across_module, "check_across", spy)
    return seen


def test_a_build_checks_and_links_again_only_the_departments_it_changed(tmp_path, checked):
    folder, kg = two_departments(tmp_path), tmp_path / "kg"
    build([folder], kg)
    found = departments(kg)
    dalian, shenyang = found["大连"], found["沈阳"]
    assert len(checked) == 1 and checked[0] == {dalian, shenyang}
    findings, links = graph_of(kg, ACROSS_GRAPH), graph_of(kg, PROJECT_LINKS_GRAPH)
    # both departments have findings across their documents and links across their years
    for dept in (dalian, shenyang):
        assert any(f"<{dept}>" in t for t in links)
    owners = {t.split()[0] for t in findings if "ontology#finding>" in t}
    assert len(owners) >= 2
    # 沈阳's 2024 预算 renames its project of line 55: only 沈阳 is checked and linked again
    budget = folder / "shenyang_2024_budget.txt"
    budget.write_text(budget.read_text(encoding="utf-8").replace("数字化转型诊断服务", "工业互联网标识解析服务"),
                      encoding="utf-8")
    checked.clear()
    build([folder], kg)
    assert checked == [{shenyang}]
    after_links = graph_of(kg, PROJECT_LINKS_GRAPH)
    assert after_links != links
    assert {t for t in after_links if f"<{dalian}>" in t} == {t for t in links if f"<{dalian}>" in t}
    # what the store holds is what a build of the whole folder into a new store makes
    fresh = tmp_path / "fresh"
    build([folder], fresh)
    assert graph_of(kg, ACROSS_GRAPH) == graph_of(fresh, ACROSS_GRAPH)
    assert after_links == graph_of(fresh, PROJECT_LINKS_GRAPH)
    # a new version of 沈阳's 决算 (a line added at its end): the old one's graph is dropped, and
    # the findings it owned go with it
    final = folder / "shenyang_2023_final.txt"
    final.write_text(final.read_text(encoding="utf-8") + "\n（本表无数据）\n", encoding="utf-8")
    checked.clear()
    build([folder], kg)
    assert checked == [{shenyang}]
    fresh2 = tmp_path / "fresh2"
    build([folder], fresh2)
    assert graph_of(kg, ACROSS_GRAPH) == graph_of(fresh2, ACROSS_GRAPH)
    assert graph_of(kg, PROJECT_LINKS_GRAPH) == graph_of(fresh2, PROJECT_LINKS_GRAPH)


def test_a_build_after_one_stopped_early_or_by_other_code_makes_them_for_every_department(tmp_path, checked):
    folder, kg = two_departments(tmp_path), tmp_path / "kg"
    build([folder], kg)
    every = checked[0]
    assert len(every) == 2
    # nothing changed: no department is checked again
    checked.clear()
    build([folder], kg)
    assert checked == [set()]
    # a build stopped after committing documents, before the graphs over the store: the next
    # build (its documents skipped as unchanged) makes them for every department
    (kg / END_PENDING).touch()
    checked.clear()
    reports = build([folder], kg)
    assert all(r.skipped for r in reports) and checked == [every]
    assert not (kg / END_PENDING).exists()
    # findings made by other code (another version of the checks): every department again
    st = open_store(kg)
    g = ox.NamedNode(ACROSS_GRAPH)
    st.update(f"DELETE WHERE {{ GRAPH {g} {{ {g} <{VERSION}> ?v }} }} ; "
              f"INSERT DATA {{ GRAPH {g} {{ {g} <{VERSION}> \"other\" }} }}")
    st.flush()
    del st
    checked.clear()
    build([folder], kg)
    assert checked == [every]


def test_a_build_compacts_the_store_only_when_it_wrote_a_share_of_it(tmp_path, monkeypatch):
    """A compaction rewrites the whole store: the first build of a folder compacts what it
    bulk-loaded, a build that changed one document of six (under the share asked for) does not."""
    from budgetkg.graph import store as store_module
    compacted: list[bool] = []
    real = store_module._compact
    monkeypatch.setattr(store_module, "_compact", lambda st: (compacted.append(True), real(st)))
    monkeypatch.setattr(store_module, "COMPACT_SHARE", 0.3)
    folder, kg = two_departments(tmp_path), tmp_path / "kg"
    build([folder], kg)
    assert len(compacted) == 1
    budget = folder / "shenyang_2024_budget.txt"
    budget.write_text(budget.read_text(encoding="utf-8") + "\n（完）\n", encoding="utf-8")
    reports = build([folder], kg)
    assert sum(not r.skipped for r in reports) == 1 and len(compacted) == 1
    # the store answers for the new version all the same
    st = open_store(kg, read_only=True)
    n = len(list(st.query("SELECT ?g WHERE { GRAPH ?g { ?g a <https://w3id.org/budgetkg/ontology#BudgetDocument> } }")))
    del st
    assert n == 6


def test_the_compaction_runs_beside_the_end_of_the_build(tmp_path, monkeypatch):
    """The compaction (one core, in RocksDB) and the checks across documents and links (the
    other) run at once: the compaction is started in a thread of its own before the checks, and
    the snapshot readers see is published only once it has finished. Here the compaction waits
    until the checks have started — a build that compacted after them would never let it go."""
    import threading
    from budgetkg.graph import build as build_module
    from budgetkg.graph import store as store_module
    events: list[str] = []
    checks_started = threading.Event()
    real_compact, real_across = store_module._compact, build_module.write_across
    real_publish = store_module.publish_snapshot

    def compact(st):
        events.append(f"compaction starts in {threading.current_thread().name}")
        assert checks_started.wait(60), "the checks across documents did not start beside the compaction"
        real_compact(st)
        events.append("compaction ends")

    def across(*args, **kwargs):
        events.append("checks start")
        checks_started.set()
        return real_across(*args, **kwargs)

    def publish(*args, **kwargs):
        events.append("snapshot published")
        return real_publish(*args, **kwargs)
    monkeypatch.setattr(store_module, "_compact", compact)
    monkeypatch.setattr(build_module, "write_across", across)
    monkeypatch.setattr(store_module, "publish_snapshot", publish)
    reports = build([two_departments(tmp_path)], tmp_path / "kg")
    assert all(r.ok for r in reports)
    assert events[0] == "compaction starts in budgetkg-compaction"
    assert set(events[1:3]) == {"checks start", "compaction ends"}
    assert events[3:] == ["snapshot published"]


def test_a_compaction_that_fails_fails_the_build_and_frees_the_store(tmp_path, monkeypatch):
    """A compaction that fails in its thread is not lost: the build stops with a store error
    naming the store, publishes no snapshot of it, and the next build can lock the store."""
    from budgetkg.extract.errors import StoreError
    from budgetkg.graph import store as store_module

    def broken(st):
        raise OSError("No space left on device")
    monkeypatch.setattr(store_module, "_compact", broken)
    folder, kg = two_departments(tmp_path), tmp_path / "kg"
    with pytest.raises(StoreError, match="cannot compact the store: No space left on device") as err:
        build([folder], kg)
    assert err.value.source == str(kg)
    monkeypatch.undo()
    reports = build([folder], kg)
    assert len(reports) == 6 and all(r.ok for r in reports)


def test_a_whole_store_is_checked_a_group_of_departments_at_a_time(tmp_path, checked, monkeypatch):
    """The checks of a whole store hold one group of departments' lines and findings at a time,
    however large the store: a department per group gives the findings that all at once give,
    and a department is never split between groups."""
    folder = two_departments(tmp_path)
    build([folder], tmp_path / "all")
    assert [len(c) for c in checked] == [2]
    monkeypatch.setattr(across_module, "GROUP_DOCUMENTS", 1)
    checked.clear()
    build([folder], tmp_path / "one")
    assert [len(c) for c in checked] == [1, 1] and checked[0] != checked[1]
    findings = graph_of(tmp_path / "all", ACROSS_GRAPH)
    assert len([t for t in findings if "ontology#Finding>" in t]) >= 2
    assert graph_of(tmp_path / "one", ACROSS_GRAPH) == findings
    # a group stopped half way leaves no version mark: the next build checks the whole store
    from budgetkg.graph.store import version_quad
    mark = version_quad(ACROSS_GRAPH, across_module.across_version())
    assert str(ox.Triple(mark.subject, mark.predicate, mark.object)) in findings
    texts: list[str] = []
    st = open_store(tmp_path / "one")
    with pytest.raises(RuntimeError):
        def stop(text: str) -> None:
            texts.append(text)
            if len(texts) == 2:         # the graph emptied, the first group written
                raise RuntimeError("killed")
            st.update(text)
        across_module.run_across(st, stop)
    assert mark not in st
    del st


def test_a_whole_store_is_linked_a_chunk_of_departments_at_a_time(tmp_path, checked, monkeypatch):
    """The end of a build holds one chunk of departments' links, however large the store: one
    department at a time gives the links that all at once give; and a build that changed more
    departments than a partial pass is worth checks and links the whole store."""
    from budgetkg.graph import project_links
    folder = two_departments(tmp_path)
    build([folder], tmp_path / "all")
    monkeypatch.setattr(project_links, "PROJECTS_AT_ONCE", 1)
    build([folder], tmp_path / "one")
    assert graph_of(tmp_path / "one", PROJECT_LINKS_GRAPH) == graph_of(tmp_path / "all", PROJECT_LINKS_GRAPH)
    # more departments changed than a partial pass is worth: the whole store again, the same graphs
    from budgetkg.graph import across
    monkeypatch.setattr(across, "PARTIAL_DEPARTMENTS", 1)
    for name in ("dalian_2024_budget.txt", "shenyang_2024_budget.txt"):
        (folder / name).write_text((folder / name).read_text(encoding="utf-8") + "\n（完）\n", encoding="utf-8")
    checked.clear()
    build([folder], tmp_path / "one")
    build([folder], tmp_path / "fresh")
    assert [len(c) for c in checked] == [2, 2]
    for graph in (ACROSS_GRAPH, PROJECT_LINKS_GRAPH):
        assert graph_of(tmp_path / "one", graph) == graph_of(tmp_path / "fresh", graph)


def test_a_whole_pass_takes_out_findings_an_older_version_wrote_into_a_document(tmp_path):
    """Older versions wrote findings across documents into the later document's own graph: a
    whole pass deletes each such finding, its sides and the link to it — and nothing else of
    that graph, nor the findings of the findings graph it makes again."""
    from budgetkg.graph.across import MARK, across_after_build
    folder, kg = two_departments(tmp_path), tmp_path / "kg"
    build([folder], kg)
    st = open_store(kg)
    doc = next(r["g"].value for r in st.query(
        "SELECT ?g WHERE { GRAPH ?g { ?g a <https://w3id.org/budgetkg/ontology#BudgetDocument> } }"))
    d, g = ox.NamedNode(doc), ox.NamedNode(doc)
    bkg = "https://w3id.org/budgetkg/ontology#"
    f, side = ox.NamedNode(f"{doc}{MARK}1"), ox.NamedNode(f"{doc}{MARK}1/side/0")
    legacy = [ox.Quad(d, ox.NamedNode(bkg + "finding"), f, g),
              ox.Quad(f, ox.NamedNode(bkg + "rule"), ox.Literal("year-on-year-change"), g),
              ox.Quad(f, ox.NamedNode(bkg + "message"), ox.Literal("旧"), g),
              ox.Quad(f, ox.NamedNode(bkg + "compares"), side, g),
              ox.Quad(side, ox.NamedNode(bkg + "printedAmount"), ox.Literal("1.00"), g),
              ox.Quad(side, ox.NamedNode(bkg + "sideIndex"), ox.Literal("0", datatype=ox.NamedNode(
                  "http://www.w3.org/2001/XMLSchema#integer")), g)]
    st.extend(legacy)
    st.flush()
    del st
    findings = graph_of(kg, ACROSS_GRAPH)
    with_legacy = graph_of(kg, doc)
    across_after_build(kg)
    after = graph_of(kg, doc)
    assert after == with_legacy - {str(ox.Triple(q.subject, q.predicate, q.object)) for q in legacy}
    assert graph_of(kg, ACROSS_GRAPH) == findings
