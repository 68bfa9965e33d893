"""Whatever a converter makes of a document, the build answers with facts or with a clear
error of ours — never a traceback. Fragments of the real corpus, cut, shuffled and re-spaced."""
import glob
import random

from budgetkg.extract import tables
from budgetkg.extract.errors import BudgetKGError
from budgetkg.extract.pipeline import document_to_extraction
from budgetkg.extract.readers import read_bytes
from budgetkg.extract.to_rdf import extraction_to_quads
from tests.conftest import CORPUS, extract_text


def test_fragments_never_crash():
    rng = random.Random(20261129)
    docs = [open(f, encoding="utf-8", errors="replace").read().split("\n") for f in sorted(glob.glob(str(CORPUS / "*")))]
    assert docs
    for k in range(40):
        lines = rng.choice(docs)
        a = rng.randrange(len(lines))
        chunk = lines[a:a + rng.randrange(20, 400)]
        if k % 3 == 0:
            rng.shuffle(chunk)
        if k % 5 == 0:
            chunk = [line[: rng.randrange(len(line) + 1)] for line in chunk]
        if k % 7 == 0:
            chunk = [line.replace("\t", " ") for line in chunk]
        try:
            extraction_to_quads(document_to_extraction(read_bytes("\n".join(chunk).encode(), source=f"cut{k}.txt")))
        except BudgetKGError:
            pass          # a clear error of ours (not a budget document, …) is a fine answer


def test_a_failing_table_is_reported_and_the_rest_built():
    tables.register("broken", "tests.broken_interpreter")
    tables._REGISTRY.insert(0, tables._REGISTRY.pop())       # tried first, like a specific interpreter
    try:
        text = ("大连市数字经济促进局\n2024 年部门预算\n\n故障测试表\n单位：万元\n项目\t金额\n合计\t1.00\n\n"
                "一般公共预算支出表\n单位：万元\n科目编码\t科目名称\t合计\n\t合计\t10.00\n201\t一般公共服务支出\t10.00\n")
        ex = extract_text(text, "doc.txt")
    finally:
        tables._REGISTRY[:] = [r for r in tables._REGISTRY if r[0] != "broken"]
    assert "doc.txt, table '故障测试表': could not be interpreted as broken (IndexError: list index out of range)" \
        in ex.warnings
    assert any(why == "table could not be interpreted" for _, _, _, why in ex.skipped)
    assert any(getattr(r, "code", None) == "201" for r in ex.records)          # the other table is built
