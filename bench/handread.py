"""How many of the values read by hand from real pages (tests/real/values_*.toml) budgetkg reads
right, per document and per kind; `--write-misses` refreshes tests/real/known_misses.txt.

    .venv/bin/python bench/handread.py [--write-misses]
"""
from __future__ import annotations

import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.real_values import REAL, VALUES, find, load_values  # noqa: E402
from tests.test_real_values import value_id  # noqa: E402


def _check(file: str) -> list[tuple[str, bool, str, str]]:
    from budgetkg.extract.pipeline import extract_path
    ex = extract_path(REAL / file)
    out = []
    for f, i, v in load_values():
        if f == file:
            ok, seen = find(ex, v)
            out.append((value_id(f, i, v), ok, v["kind"], seen))
    return out


def main() -> None:
    values = load_values()
    files = sorted({f for f, _, _ in values})
    per_doc: dict[str, Counter] = defaultdict(Counter)
    per_kind: dict[str, Counter] = defaultdict(Counter)
    misses: list[str] = []
    with ProcessPoolExecutor(2) as pool:
        for file, results in zip(files, pool.map(_check, files)):
            for vid, ok, kind, _ in results:
                per_doc[file][ok] += 1
                per_kind[kind][ok] += 1
                if not ok:
                    misses.append(vid)
    lines = ["| document | read right | of |", "|---|---|---|"]
    for f in files:
        c = per_doc[f]
        lines.append(f"| {Path(f).name} | {c[True]} | {c[True] + c[False]} |")
    lines += ["", "| kind | read right | of |", "|---|---|---|"]
    for k, c in sorted(per_kind.items()):
        lines.append(f"| {k} | {c[True]} | {c[True] + c[False]} |")
    ok = sum(c[True] for c in per_doc.values())
    total = sum(sum(c.values()) for c in per_doc.values())
    lines.append(f"\n{ok} of {total} hand-read values read right ({100 * ok / max(total, 1):.1f} %)")
    print("\n".join(lines))
    if "--write-misses" in sys.argv:
        (VALUES / "known_misses.txt").write_text(
            "# values read by hand that budgetkg does not read right yet (bench/handread.py --write-misses)\n"
            + "\n".join(misses) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
