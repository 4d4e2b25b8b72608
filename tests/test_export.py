"""zhmine export: CSV, JSON Lines and Parquet with the query filters (extract/research/export.py)."""
import csv
import io
import json
import subprocess
import sys

import pytest

from zhmine.research import export
from research_data import known_db


@pytest.fixture(scope="module")
def kdb(tmp_path_factory):
    return known_db(tmp_path_factory.mktemp("e") / "known.db")


def test_csv_to_stdout_with_filters(kdb):
    out = subprocess.run([sys.executable, "-m", "zhmine.cli", "export", "--db", str(kdb), "--region", "南平市",
                          "--unit", "元", "--format", "csv"], capture_output=True, text=True, check=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sorted(float(r["value"]) for r in rows) == [60000, 80000, 125000, 300000]
    assert {"sentence", "surface", "region", "year", "document", "page"} <= set(rows[0])


def test_jsonl_file(kdb, tmp_path):
    out = tmp_path / "f.jsonl"
    assert export.write(kdb, out, year=2022) == 4
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["surface"] for r in recs} == {"30万元", "6万元", "20万元", "450户"}


def test_parquet_reads_back_in_pandas(kdb, tmp_path):
    import pandas as pd

    out = tmp_path / "f.parquet"
    subprocess.run([sys.executable, "-m", "zhmine.cli", "export", "--db", str(kdb), "-o", str(out)], check=True,
                   capture_output=True)  # format from the file name
    df = pd.read_parquet(out)
    assert len(df) == 9
    assert str(df.year.dtype) == "Int64" and sorted(df.year.unique()) == [2021, 2022]
    assert df[df.unit == "元"].groupby("prefecture").value.sum().to_dict() == {"南平市": 565000, "三明市": 200000, "桂林市": 35000}


def test_grouped_export_and_parquet_needs_a_file(kdb, tmp_path):
    out = tmp_path / "g.csv"
    export.write(kdb, out, group_by=["province"])
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {(r["province"], r["unit"], float(r["total"])) for r in rows} >= {("福建省", "元", 765000), ("广西壮族自治区", "元", 35000)}
    with pytest.raises(ValueError, match="file name"):
        export.write(kdb, "-", fmt="parquet")


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "zhmine.cli", *args], capture_output=True, text=True, timeout=120)


def test_every_column_a_figure_carries(kdb, tmp_path):
    out = tmp_path / "all.csv"
    export.write(kdb, out, region="桂林市")
    row = next(csv.DictReader(out.open(encoding="utf-8")))
    assert {"region_code", "doc_date", "direction", "status", "period", "region_source", "optional", "indicator",
            "measure", "value_original", "region_original", "review"} <= set(row)
    assert row["region_code"] == "450300" and row["surface"] == "3.5万元"


def test_excel_csv_starts_with_a_bom_and_plain_csv_does_not(kdb, tmp_path):
    assert _cli("export", "--db", str(kdb), "--excel", "-o", str(tmp_path / "x.csv")).returncode == 0
    assert (tmp_path / "x.csv").read_bytes().startswith(b"\xef\xbb\xbfdocument,")
    assert _cli("export", "--db", str(kdb), "-o", str(tmp_path / "p.csv")).returncode == 0
    assert (tmp_path / "p.csv").read_bytes().startswith(b"document,")
    import pandas as pd

    assert "福建省" in set(pd.read_csv(tmp_path / "x.csv", encoding="utf-8-sig")["province"])


def test_xlsx_opens_in_pandas_with_chinese_intact(kdb, tmp_path):
    out = _cli("export", "--db", str(kdb), "--region", "南平市", "-o", str(tmp_path / "f.xlsx"))
    assert out.returncode == 0 and "6 rows" in out.stderr
    import pandas as pd

    df = pd.read_excel(tmp_path / "f.xlsx")
    assert len(df) == 6 and set(df["prefecture"]) == {"南平市"}
    assert "2021年南平市延平区为计生家庭投入保费12.5万元，参保3200户。" in set(df["sentence"])
    assert sorted(df.loc[df["unit"] == "元", "value"]) == [60000, 80000, 125000, 300000]


def test_parquet_without_the_extra_says_what_to_install(kdb, tmp_path):
    """pandas or pyarrow missing (blocked at import): one line naming the extra, exit 1, no traceback."""
    code = ("import sys; sys.modules['pyarrow'] = None; sys.modules['pandas'] = None\n"
            "from zhmine.cli import main; main()")
    res = subprocess.run([sys.executable, "-c", code, "export", "--db", str(kdb), "-o", str(tmp_path / "f.parquet")],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "zhmine[research]" in res.stderr and "pandas and pyarrow" in res.stderr
    assert not (tmp_path / "f.parquet").exists()


def test_panel_is_one_row_per_region_year_indicator(tmp_path):
    from research_data import RESEARCH_TEXT, pipeline_db

    db = pipeline_db(tmp_path, {**RESEARCH_TEXT, "广东补充2024.txt": "广东省2024年统计公报\n\n全省地区生产总值14.16万亿元。\n"})
    out = _cli("export", "--db", str(db), "--panel", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    cells = [(r["province"], r["year"], r["indicator"], r["measure"]) for r in rows]
    assert len(cells) == len(set(cells))  # one row per cell
    gd = [r for r in rows if r["province"] == "广东省" and r["indicator"] == "gdp" and r["measure"] == "level"]
    assert len(gd) == 1 and float(gd[0]["value"]) == 14.16e12 and gd[0]["figures"] == "2" and gd[0]["values"] == "1"
    assert "newest document" in _cli("export", "--help").stdout
