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
