"""PDF pipeline speed and memory, side by side in one run, on the same rendered pages:

* bare pdfplumber: extract_text() + extract_tables() on every page (the usual script);
* budgetkg read → records → RDF quads, with 1 and 2 worker processes;
* pypdfium2 raw text access (the ceiling: no layout, no tables).

Memory: peak RSS of a child process reading a 300-page PDF with budgetkg, against a
30-page one (pages are released as they are read, so it should stay flat).

    .venv/bin/python bench/pdf.py        # writes bench/figures-pdf.md
"""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.fixtures.render import DocSpec, TableSpec, render_pdf  # noqa: E402


def ruled_doc(rows: int) -> DocSpec:
    body = [[f"2{k % 10:02d}{k % 7:02d}{k % 97:02d}", f"示例科目名称{k}号支出事项",
             f"{k * 3.17:,.2f}", f"{k * 1.07:,.2f}", f"{k * 2.10:,.2f}"] for k in range(1, rows + 1)]
    t = TableSpec(title="一般公共预算支出表",
                  header=[["功能分类科目", "", "2024年预算数", "", ""], ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]],
                  body=body)
    return DocSpec([("para", "大连市数字经济促进局"), ("para", "2024 年部门预算"), t])


def pages_of(path: Path) -> int:
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def bare_pdfplumber(path: Path) -> None:
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.close()


def ours(path: Path, workers: int) -> int:
    from budgetkg.extract.pipeline import extract_path
    from budgetkg.extract.to_rdf import extraction_to_quads
    return len(extraction_to_quads(extract_path(path, workers=workers)))


def pdfium(path: Path) -> None:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    for page in pdf:
        page.get_textpage().get_text_range()
    pdf.close()


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def peak_rss_mb(path: Path) -> float:
    code = ("import resource,sys; from budgetkg.extract.readers import read_path; read_path(sys.argv[1]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pdf = render_pdf(ruled_doc(1500), Path(tmp) / "ruled.pdf")
        n = pages_of(pdf)
        rows = []
        for name, fn in (("bare pdfplumber (extract_text + extract_tables)", lambda: bare_pdfplumber(pdf)),
                         ("budgetkg read → RDF, 1 worker", lambda: ours(pdf, 1)),
                         ("budgetkg read → RDF, 2 workers", lambda: ours(pdf, 2)),
                         ("pypdfium2 raw text (ceiling)", lambda: pdfium(pdf))):
            s = best(fn)
            rows.append((name, s, n / s))
        small = render_pdf(ruled_doc(1300), Path(tmp) / "small.pdf")
        big = render_pdf(ruled_doc(13000), Path(tmp) / "big.pdf")
        mem = [(pages_of(small), peak_rss_mb(small)), (pages_of(big), peak_rss_mb(big))]
    lines = ["# budgetkg PDF figures", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
             f"Document: {n} ruled A4 pages of a CJK budget table (reportlab, STSong-Light), best of 3.", "",
             "| pipeline | seconds | pages/s |", "|---|---:|---:|"]
    lines += [f"| {name} | {s:.2f} | {pps:.1f} |" for name, s, pps in rows]
    lines += ["", "| pages read by budgetkg | peak RSS (MB) |", "|---:|---:|"]
    lines += [f"| {p} | {m:.0f} |" for p, m in mem]
    (HERE / "figures-pdf.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
