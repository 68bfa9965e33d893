"""Time the corpus build and the named questions, side by side with rdflib's in-memory
SPARQL engine over the same exported N-Quads; write the figures to bench/figures.md.

    .venv/bin/python bench/run.py [corpus folder] [--repeat N]
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import rdflib

from budgetkg.graph.build import build
from budgetkg.graph.queries import bind, named_queries, run, with_values
from budgetkg.graph.search import search
from budgetkg.graph.store import open_store

HERE = Path(__file__).resolve().parent
#: the topic question as a scan: every name or description holding the word, CONTAINS over each literal
SCAN = """PREFIX bkg: <https://w3id.org/budgetkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?s WHERE {
  { ?s rdfs:label|bkg:description|bkg:goal|bkg:about ?text } UNION { ?s a bkg:Statement ; bkg:rawRow ?text }
  FILTER(CONTAINS(STR(?text), "%s"))
  ?s a ?type . FILTER(?type IN (bkg:Project, bkg:PerformanceIndicator, bkg:PerformanceRecord, bkg:Responsibility, bkg:Statement))
}"""
TOPICS = ("专精特新", "民爆", "贷款贴息")


def same_rows(ox_rows: list, rl_rows: list) -> bool:
    """The two engines' answers as multisets of rows (values as strings, unbound as None): equal
    counts are not equal answers."""
    def ox_key(sol) -> tuple:
        return tuple(None if t is None else t.value for t in sol)

    def rl_key(row) -> tuple:
        return tuple(None if v is None else str(v) for v in row)
    if not ox_rows and not rl_rows:
        return True
    if not ox_rows or not rl_rows or not isinstance(ox_rows[0], ox.QuerySolution):
        return len(ox_rows) == len(rl_rows)
    return Counter(map(ox_key, ox_rows)) == Counter(map(rl_key, rl_rows))


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(HERE.parent.parent / "shared" / "corpus"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--copies", type=int, default=5, help="also time a corpus of this many distinct copies")
    args = ap.parse_args()
    docs = sorted(p for p in Path(args.corpus).iterdir() if p.is_file())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        # a larger corpus: each copy differs by trailing blank lines, so it is a distinct document
        many = Path(tmp) / "many"
        many.mkdir()
        for i in range(args.copies):
            for d in docs:
                (many / f"{i}-{d.name}").write_bytes(d.read_bytes() + b"\n" * (i + 1))
        many_docs = sorted(many.iterdir())
        def do_build(files=docs, **flags):
            path = Path(tmp) / f"kg{time.perf_counter_ns()}"
            build(files, path, **flags)
            return path
        n = max(1, args.repeat // 2)
        do_build()   # warm-up: imports, cpca's tables
        bare_s, _ = timed(lambda: do_build(validate=False, checks=False), n)
        checks_s, _ = timed(lambda: do_build(validate=False, checks=True), n)
        build_s, kg = timed(lambda: do_build(validate=True, checks=True), n)
        many_bare_s, _ = timed(lambda: do_build(many_docs, validate=False, checks=False), 1)
        many_full_s, _ = timed(lambda: do_build(many_docs, validate=True, checks=True), 1)
        store = open_store(kg, read_only=True)
        nq = Path(tmp) / "all.nq"
        store.dump(str(nq), format=ox.RdfFormat.N_QUADS)
        t = time.perf_counter()
        ds = rdflib.Dataset(default_union=True)
        ds.parse(str(nq), format="nquads")
        rdflib_load_s = time.perf_counter() - t
        for name, q in named_queries().items():
            subs = bind(q, {})
            ox_s, ox_res = timed(lambda: list(run(store, q.text, subs)), args.repeat)
            init = {v.value: (rdflib.URIRef(t.value) if isinstance(t, ox.NamedNode)
                              else rdflib.Literal(t.value) if t.datatype.value.endswith("#string")
                              else rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value)))
                    for v, t in subs.items()}
            # rdflib gets the text pyoxigraph runs (parameters as a leading VALUES block): its
            # initBindings do not reach into subqueries, so a topic question would lose its topic
            bound = with_values(q.text, subs) if subs else None
            rl_s, rl_res = timed(lambda: list(ds.query(bound) if bound else ds.query(q.text, initBindings=init)),
                                 max(1, args.repeat // 2))
            rows.append((name, len(ox_res), len(rl_res), ox_s, rl_s, same_rows(ox_res, rl_res)))
        found = []
        for word in TOPICS:      # the same topic question: the index against a CONTAINS scan in rdflib
            ix_s, hits = timed(lambda: search(kg, word, limit=100_000), args.repeat)
            sc_s, scanned = timed(lambda: list(ds.query(SCAN % word)), max(1, args.repeat // 2))
            found.append((word, len(hits), len(scanned), ix_s, sc_s))
    lines = [
        "# budgetkg benchmark figures", "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pyoxigraph {ox.__version__}, rdflib {rdflib.__version__}.",
        f"Corpus: {len(docs)} documents from `{args.corpus}`; medians of {args.repeat} runs.", "",
        "| step | seconds |", "|---|---:|",
        f"| build corpus, no checks, no SHACL (read → RDF → on-disk store) | {bare_s:.3f} |",
        f"| build corpus with reconciliation checks | {checks_s:.3f} (+{(checks_s / bare_s - 1) * 100:.0f} %) |",
        f"| build corpus with checks and SHACL validation (the default) | {build_s:.3f} (+{(build_s / bare_s - 1) * 100:.0f} %) |",
        f"| {len(many_docs)} distinct documents ({args.copies} copies), no checks, no SHACL | {many_bare_s:.3f} |",
        f"| {len(many_docs)} distinct documents, checks and SHACL | {many_full_s:.3f} (+{(many_full_s / many_bare_s - 1) * 100:.0f} %) |",
        f"| rdflib: parse the exported N-Quads into memory | {rdflib_load_s:.3f} |", "",
        "SHACL runs in one worker process beside the extraction; on a few documents its start-up",
        "and the validation of the last document cannot overlap anything, on many they do.", "",
        "| question | rows (oxigraph) | rows (rdflib) | same rows | pyoxigraph s | rdflib s | speed-up |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for name, n1, n2, a, b, same in rows:
        lines.append(f"| {name} | {n1} | {n2} | {'yes' if same else 'no'} | {a:.4f} | {b:.4f} | {b / a:.1f}× |")
    lines += ["", "Where the rows differ, each difference was read against the documents (corpus, this run's",
              "store); pyoxigraph's answer is the right one in every case:",
              "* `three_public_change`: rdflib does not let a FILTER inside an OPTIONAL read a variable bound",
              "  outside it (a left-join condition, SPARQL 1.1 §18.2.2.5), so it finds no previous year in the",
              "  graph and says `stated` where the 2019 column of 000's “三公” table gives 164.69 万元",
              "  (`computed`; its text, line 835: 122.85 万元, 比 2019 年 减少 41.84).",
              "* `three_public`: rdflib answers an aggregate with GROUP BY over no rows with one unbound row",
              "  (SPARQL: no group), so the stated branch adds 24 rows without an amount for 山海关 2023.",
              "* `project_execution`: rdflib doubles the figure of a 绩效目标表 form (促进中小企业发展工作经费:",
              "  12,000 元 where 002 line 1643 prints 预算资金情况 0.60 万元 = 6,000 元, pyoxigraph's answer);",
              "  not traced further inside rdflib.",
              "* `below_half`: the same ratios, pyoxigraph's xsd:decimal division to 18 places, rdflib's to 28.",
              "* `topic_by_place`: the same sums; the parts of a GROUP_CONCAT come in another order (SPARQL",
              "  leaves the order open)."]
    lines += ["", "The topic question as search: the full-text index beside the store (SQLite FTS5 over",
              "jieba's words) against a CONTAINS scan of every name and description in rdflib over the",
              "same N-Quads. The index holds jieba's words and every topic label inside a longer word",
              "(专精特新 in 专精特新中小企业); the hit counts beside the scan's show whether they find the same.", "",
              "| word | hits (index) | rows (rdflib CONTAINS) | index s | rdflib s | speed-up |",
              "|---|---:|---:|---:|---:|---:|"]
    for word, n1, n2, a, b in found:
        lines.append(f"| {word} | {n1} | {n2} | {a:.4f} | {b:.4f} | {b / a:.0f}× |")
    (HERE / "figures.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
