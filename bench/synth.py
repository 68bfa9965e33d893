"""A synthetic corpus for benchmarks: N distinct documents made from the texts of ../shared/corpus
with their places, years and figures changed consistently, so that the checks still hold.

Each document i is one of the corpus texts with
* its province, city and district replaced by another real triple (GB/T 2260 names cpca knows,
  each unambiguous), so it is another department in another division;
* every year shifted by the same number of years (2019 → 2019 + d everywhere: titles, columns,
  prose), so a 预算 and the 决算 of the year before stay a pair;
* figures: `scale` multiplies an amount by ten by moving its decimal point (123.45 → 1234.5,
  the same digits, so sums hold within the same half unit of the last printed digit), but in
  the packed 三公 tables of two corpus texts that moves figures across columns, so FACTORS
  keeps figures as printed for now: the documents differ by place, department and year.
Text only (no PDF). Names are sha-like, as crawled corpora's are.

    python bench/synth.py 100 /tmp/synth100
"""
from __future__ import annotations

import hashlib
import re
import sys
from decimal import Decimal
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

#: (province, city, district): unambiguous names
PLACES = [
    ("吉林省", "长春市", "南关区"), ("黑龙江省", "哈尔滨市", "道里区"), ("江苏省", "南京市", "玄武区"),
    ("浙江省", "杭州市", "拱墅区"), ("安徽省", "合肥市", "蜀山区"), ("福建省", "福州市", "仓山区"),
    ("江西省", "南昌市", "东湖区"), ("山东省", "济南市", "历下区"), ("河南省", "郑州市", "金水区"),
    ("湖北省", "武汉市", "江岸区"), ("湖南省", "长沙市", "岳麓区"), ("广东省", "广州市", "天河区"),
    ("四川省", "成都市", "武侯区"), ("陕西省", "西安市", "雁塔区"), ("山西省", "太原市", "小店区"),
    ("河北省", "石家庄市", "裕华区"), ("云南省", "昆明市", "五华区"), ("贵州省", "贵阳市", "南明区"),
    ("广西壮族自治区", "南宁市", "青秀区"), ("江苏省", "苏州市", "姑苏区"), ("浙江省", "宁波市", "海曙区"),
    ("山东省", "青岛市", "市南区"), ("广东省", "深圳市", "福田区"), ("辽宁省", "大连市", "西岗区"),
    ("湖北省", "宜昌市", "西陵区"), ("河南省", "洛阳市", "西工区"), ("四川省", "绵阳市", "涪城区"),
    ("江苏省", "无锡市", "梁溪区"), ("福建省", "厦门市", "思明区"), ("甘肃省", "兰州市", "七里河区"),
]
#: the places the corpus texts print, by rank: province, city, district
ORIGINAL = {"辽宁省": 0, "河北省": 0, "沈阳市": 1, "抚顺市": 1, "秦皇岛市": 1, "山海关区": 2}
_PLACE = re.compile("|".join(sorted(ORIGINAL, key=len, reverse=True)))
_YEAR = re.compile(r"(?<![\d.,])(20[0-3]\d)(?![\d.,])")
_MONEY = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d{2})(?![\d%％])")
#: figures times ten (decimal point moved) in some variants: off, because it moves figures
#: across the packed columns of some 三公 tables (errors appear that the original does not have)
FACTORS = (0,)
SHIFTS = (0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5)


def scale(match: re.Match, shift: int) -> str:
    """The figure times 10**shift, its decimal point moved (123.45 → 1234.5): the same digits,
    so a sum that held within half a unit of the last printed digit still does."""
    text = match.group(1)
    decimals = len(text.split(".")[1]) if "." in text else 0
    if shift > decimals:
        return text
    value = Decimal(text.replace(",", "")).scaleb(shift)
    return f"{value:,.{decimals - shift}f}" if "," in text else f"{value:.{decimals - shift}f}"


def variant(text: str, place: tuple[str, str, str], shift: int, factor: int) -> str:
    text = _PLACE.sub(lambda m: place[ORIGINAL[m.group(0)]], text)
    text = _YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    return _MONEY.sub(lambda m: scale(m, factor), text)


def synthesize(n: int, out: Path, corpus: Path = CORPUS) -> list[Path]:
    """N distinct documents in `out` (made again only when missing)."""
    sources = sorted(p for p in corpus.iterdir() if p.is_file())
    texts = [p.read_text(encoding="utf-8") for p in sources]
    out.mkdir(parents=True, exist_ok=True)
    made = []
    combos = [(pl, s, f) for s in SHIFTS for f in FACTORS for pl in range(len(PLACES))]
    for i in range(n):
        src = i % len(texts)
        place, shift, factor = combos[(i // len(texts)) % len(combos)]
        if i // len(texts) >= len(combos):
            raise ValueError(f"at most {len(texts) * len(combos)} distinct documents")
        name = hashlib.sha256(f"{src}-{place}-{shift}-{factor}".encode()).hexdigest()[:16] + ".txt"
        path = out / f"{i:05d}_{name}"
        if not path.exists():
            path.write_text(variant(texts[src], PLACES[place], shift, factor), encoding="utf-8")
        made.append(path)
    return made


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/budgetkg-synth-{n}")
    print(f"{len(synthesize(n, folder))} documents in {folder}")
