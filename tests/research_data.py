"""Small databases for the research-interface tests (query, export, serve, chart).

Two kinds:
- pipeline_db: our own report-style text run through the real `zhmine run` (ingest .. store).
- known_db: figures with known region, year and category stored through the real store.save, so
  that filters and sums are checked against numbers we can add by hand, whatever the state of the
  attribution rules; plus a regions table shaped like the gazetteer's rows, with coordinates.
The sentences are written for these tests, in the style of a prefecture's work summary.
"""
from __future__ import annotations

import hashlib

from zhmine import store
from zhmine.pipeline import DocumentResult

# (document, year, sentence, [(surface, value, unit, kind, region path, region code, metric, category)])
KNOWN = [
    ("闽北简报2021.txt", 2021, "2021年南平市延平区为计生家庭投入保费12.5万元，参保3200户。", [
        ("12.5万元", 125000, "元", "money", "福建省/南平市/延平区", "350702", "投入保费", "insurance_premium"),
        ("3200户", 3200, "户", "count", "福建省/南平市/延平区", "350702", "参保", "insurance_enrollment"),
    ]),
    ("闽北简报2021.txt", 2021, "政和县投入保费8万元，开展免费体检1500人次。", [
        ("8万元", 80000, "元", "money", "福建省/南平市/政和县", "350725", "投入保费", "insurance_premium"),
        ("1500人次", 1500, "人次", "count", "福建省/南平市/政和县", "350725", "免费体检", "health_check"),
    ]),
    ("闽北简报2022.txt", 2022, "2022年全市投入保费30万元，其中建阳区6万元。", [
        ("30万元", 300000, "元", "money", "福建省/南平市", "350700", "投入保费", "insurance_premium"),
        ("6万元", 60000, "元", "money", "福建省/南平市/建阳区", "350703", "投入保费", "insurance_premium"),
    ]),
    ("三明工作综述.txt", 2022, "三明市全年投入保费20万元，慰问困难家庭450户。", [
        ("20万元", 200000, "元", "money", "福建省/三明市", "350400", "投入保费", "insurance_premium"),
        ("450户", 450, "户", "count", "福建省/三明市", "350400", "慰问困难家庭", "family_visits"),
    ]),
    ("桂林通讯.txt", 2021, "桂林市发放助学金3.5万元。", [
        ("3.5万元", 35000, "元", "money", "广西壮族自治区/桂林市", "450300", "发放助学金", "student_aid"),
    ]),
]

REGIONS = [  # code, name, short_name, level, parent_code, path, lng, lat
    ("350000", "福建省", "福建", "province", None, "福建省", 119.30, 26.10),
    ("350700", "南平市", "南平", "prefecture", "350000", "福建省/南平市", 118.18, 26.64),
    ("350702", "延平区", "延平", "county", "350700", "福建省/南平市/延平区", 118.18, 26.64),
    ("350703", "建阳区", "建阳", "county", "350700", "福建省/南平市/建阳区", 118.12, 27.33),
    ("350725", "政和县", "政和", "county", "350700", "福建省/南平市/政和县", 118.86, 27.37),
    ("350400", "三明市", "三明", "prefecture", "350000", "福建省/三明市", 117.64, 26.26),
    ("450000", "广西壮族自治区", "广西", "province", None, "广西壮族自治区", 108.32, 22.82),
    ("450300", "桂林市", "桂林", "prefecture", "450000", "广西壮族自治区/桂林市", 110.29, 25.27),
]


def _levels(path: str) -> dict:
    parts = path.split("/") + [None] * 4
    return dict(zip(("province", "prefecture", "county", "township"), parts[:4]))


def known_results(items=KNOWN) -> list[DocumentResult]:
    by_doc: dict[str, DocumentResult] = {}
    for name, year, sentence, figures in items:
        res = by_doc.get(name)
        if res is None:
            sha = hashlib.sha256(name.encode()).hexdigest()
            res = by_doc[name] = DocumentResult(path=name, name=name, sha256=sha, encoding="utf-8", kind="txt",
                                                pages=1, text="", doc_date=None, doc_date_source=None,
                                                default_region=None)
            res.articles.append({"n": 0, "start": 0, "end": 0, "title": name, "region": None, "page": 1})
        start = len(res.text)
        res.text += sentence
        n = len(res.sentences)
        res.sentences.append({"n": n, "article": 0, "start": start, "end": len(res.text), "text": sentence, "page": 1})
        for surface, value, unit, kind, path, code, metric, category in figures:
            s = start + sentence.index(surface)
            res.figures.append({"article": 0, "sentence": n, "start": s, "end": s + len(surface), "surface": surface,
                                "page": 1, "value": value, "value_max": None, "unit": unit, "kind": kind,
                                "approx": None, "per": None, "optional": False, "region": path,
                                "region_code": code, "year": year, "metric": metric, "category": category,
                                "cumulative": False, "sentence_text": sentence})
    for res in by_doc.values():
        res.articles[0]["end"] = len(res.text)
    return list(by_doc.values())


def add_regions(db, regions=REGIONS) -> None:
    rows = [{"code": c, "name": n, "short_name": s, "level": lv, "parent_code": p, "path": path, **_levels(path),
             "lng": lng, "lat": lat} for c, n, s, lv, p, path, lng, lat in regions]
    db["regions"].insert_all(rows, pk="code", replace=True, alter=True)


def known_db(path, regions: bool = True):
    db = store.open_db(path)
    for res in known_results():
        store.save(db, res)
    if regions:
        add_regions(db)
    db.close()
    return path


# Our own text for the real pipeline: figures whose value and unit any version of the rules must read.
PIPELINE_TEXT = {
    "甲县简报.txt": "甲县计生协会工作简报\n\n今年共发放助学金12.5万元，资助困难学生86人。\n"
                    "全县开展免费健康体检2300人次，投入保费45万元。\n",
    "乙市通讯.txt": "乙市工作通讯\n\n全市慰问计生特殊家庭1200户，发放慰问金36万元。\n",
}


def pipeline_db(tmp_path, texts=None):
    """A database made by `zhmine run` over texts (file name -> text; default PIPELINE_TEXT)."""
    from zhmine.batch import run

    texts = texts or PIPELINE_TEXT
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path / "pipeline.db"
    summary = run([folder], db=str(db), progress=False)
    assert summary.documents == len(texts) and not summary.errors
    return db


# A researcher's path (tests/test_research_path.py, test_corrections.py): two provinces, two years,
# 养老 (a two-character word) in most sentences, a standard indicator (gdp) for the map.
RESEARCH_TEXT = {
    "广东民生简报2024.txt": "广东省民政厅2024年工作简报\n\n2024年，广东省投入养老服务资金35亿元，新增养老床位1.2万张。\n"
                            "深圳市发放高龄津贴2.6亿元，惠及老人18万人。\n全省地区生产总值达到14.16万亿元，增长3.5%。\n",
    "福建养老服务简报2023.txt": "福建省民政厅2023年工作简报\n\n2023年，福建省投入养老服务资金12.5亿元，建成社区养老服务站860个。\n"
                                "泉州市新增养老床位3200张，发放养老服务补贴4800万元。\n全省地区生产总值5.44万亿元，增长4.5%。\n",
}
