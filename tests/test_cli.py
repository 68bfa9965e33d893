"""The CLI's exact messages, its exit codes, and what a bad file does to a build."""
import json
import shutil

from typer.testing import CliRunner

from budgetkg.cli import app
from tests.conftest import SAMPLES, corpus_file

runner = CliRunner()


def test_build_samples_and_query(tmp_path):
    kg = tmp_path / "kg"
    r = runner.invoke(app, ["build", str(SAMPLES), "--store", str(kg)])
    assert r.exit_code == 0, r.output
    assert "大连市数字经济促进局 | 辽宁省/大连市 (210200) | 2024 预算" in r.output
    assert "2 of 2 documents built" in r.output
    assert "大连市数字经济促进局 | 辽宁省/大连市 (210200) | 2023 决算" in r.output
    r = runner.invoke(app, ["query", str(kg), "zhuanjingtexin", "--format", "json"])
    data = json.loads(r.stdout)
    # the 2024 项目支出预算表's 600.00 万元, and the 2023 决算's 绩效自评表: 800.00 budget, 380.00 executed
    assert sorted((b["year"]["value"], b["figure"]["value"], b["amount"]["value"])
                  for b in data["results"]["bindings"]) == [
        ("2023", "全年执行数", "3800000"), ("2023", "全年预算数", "8000000"), ("2024", "年初预算数", "6000000")]


def test_bad_files_reported_and_others_built(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(corpus_file("003"), folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blob.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "novel.txt").write_text("从前有座山，山里有座庙。\n" * 20, encoding="utf-8")
    r = runner.invoke(app, ["build", str(folder), "--store", str(tmp_path / "kg")])
    assert r.exit_code == 1
    assert f"FAIL {folder / 'empty.txt'}: empty file" in r.output
    assert f"FAIL {folder / 'blob.txt'}: binary file (NUL bytes), not a text document" in r.output
    assert f"FAIL {folder / 'novel.txt'}: no budget table recognised (not a 预算/决算 document?)" in r.output
    assert "1 of 4 documents built" in r.output
    assert "Error: 3 document(s) could not be built" in r.output


def test_failed_rebuild_keeps_previous_graph(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    doc = folder / "doc.txt"
    shutil.copy(corpus_file("003"), doc)
    kg = str(tmp_path / "kg")
    assert runner.invoke(app, ["build", str(folder), "--store", kg]).exit_code == 0
    before = runner.invoke(app, ["query", kg, "totals", "--format", "csv"]).stdout
    doc.write_bytes(b"\x00\x01broken")
    assert runner.invoke(app, ["build", str(folder), "--store", kg]).exit_code == 1
    after = runner.invoke(app, ["query", kg, "totals", "--format", "csv"]).stdout
    assert "9987700" in before and before == after


def test_unknown_named_query_message(tmp_path):
    kg = tmp_path / "kg"
    runner.invoke(app, ["build", str(SAMPLES), "--store", str(kg)])
    r = runner.invoke(app, ["query", str(kg), "nosuch"])
    assert r.exit_code == 1
    assert "Error: no named query 'nosuch'; known:" in r.output


def test_export_nquads(tmp_path):
    kg = tmp_path / "kg"
    runner.invoke(app, ["build", str(SAMPLES), "--store", str(kg)])
    out = tmp_path / "all.nq"
    r = runner.invoke(app, ["export", str(kg), "-o", str(out)])
    assert r.exit_code == 0
    graphs = {line.rsplit(" ", 2)[-2] for line in out.read_text(encoding="utf-8").splitlines() if line}
    assert "<https://w3id.org/budgetkg/graph/ontology>" in graphs
    assert any("/document/" in g for g in graphs)


def test_check_lists_findings_with_rows(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    data = corpus_file("003").read_bytes().replace("\t支出总计\n\t998.77".encode(), "\t支出总计\n\t999.77".encode(), 1)
    (folder / "mutated.txt").write_bytes(data)
    kg = str(tmp_path / "kg")
    assert runner.invoke(app, ["build", str(folder), "--store", kg]).exit_code == 0
    r = runner.invoke(app, ["check", kg])
    assert r.exit_code == 1
    assert ("ERROR   mutated.txt [income-equals-expenditure] 部门预算收支总表: 收入总计 998.77 = 999.77 expected; "
            "difference -10000 元") in r.output
    assert "        支出总计 = 999.77  (table '部门预算收支总表', row 33, line 220)" in r.output
    # the text's "预算支出为998.77万元" now disagrees with the table too
    assert "[statement-equals-table] 预算支出: the text states 998.77 万元, the table prints 999.77" in r.output
    assert r.output.strip().endswith("2 error(s), 0 warning(s), 0 info")


def test_check_clean_corpus_exits_zero(corpus_store):
    # the one error of the corpus is real: 001's 三公 决算表 prints 预算数 合计 86.35 over parts summing to 85.35
    r = runner.invoke(app, ["check", str(corpus_store)])
    assert r.exit_code == 1
    assert "[three-public-total-equals-parts] 财政拨款“三公”经费支出决算表 [预算数]: “三公”经费合计 86.35 = 75.15 + 0.20 + 10.00" in r.output
    # and 15 warnings, each a project whose self-evaluation summary states another figure than its
    # 绩效自评表 (…贷款贴息: text 650.5 万元 budget, table 98.5; 沈阳市高水平技术创新人才奖励: 845 against 1225)
    assert "[project-stated-equals-table] 专精特新中小企业、新增升规工业中小企业贷款贴息项目" in r.output
    assert r.output.strip().endswith("1 error(s), 15 warning(s), 0 info")


def test_two_workers_build_the_same_graph(tmp_path, corpus_store):
    import pyoxigraph as ox
    from tests.conftest import CORPUS
    kg = tmp_path / "kg2"
    r = runner.invoke(app, ["build", str(CORPUS), "--store", str(kg), "--workers", "2", "--no-validate"])
    assert r.exit_code == 0, r.output
    one = ox.Store.read_only(str(corpus_store))
    two = ox.Store.read_only(str(kg))
    strip = lambda st: {q for q in st if "generatedAtTime" not in q.predicate.value}
    assert strip(one) == strip(two)


def test_inline_query_and_the_warning_for_rows_not_placed(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(corpus_file("002"), folder / "fushun.txt")
    kg = str(tmp_path / "kg")
    r = runner.invoke(app, ["build", str(folder), "--store", kg])
    assert "warning: table 2 '支出预算总表': 12 row(s) whose figures fit more than one column (lines 152, 154" in r.output
    q = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/budgetkg/ontology#Project> }"
    r = runner.invoke(app, ["query", kg, q, "--format", "csv"])
    assert r.stdout.splitlines() == ["n", "7"]
