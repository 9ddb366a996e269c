"""The sample-data generator: deterministic, realistic, and carrying every defect kind."""

from __future__ import annotations

import filecmp
from collections import Counter
from datetime import date

from analytics_pipeline import bronze_to_silver as b2s
from analytics_pipeline.lakefs import list_files
from analytics_pipeline.schemas import TRANSACTIONS
from tools.sample_data import GeneratorConfig, generate

CONFIG = GeneratorConfig(
    start_date=date(2026, 11, 1), days=5, rows_per_day=60, customers=40, seed=7
)


def test_same_seed_same_files_and_landing_times(tmp_path):
    first = generate(tmp_path / "a", CONFIG)
    second = generate(tmp_path / "b", CONFIG)
    assert first == second
    for landed in first:
        a, b = tmp_path / "a" / landed.path, tmp_path / "b" / landed.path
        assert filecmp.cmp(a, b, shallow=False)
        assert a.stat().st_mtime == b.stat().st_mtime
    other = generate(tmp_path / "c", GeneratorConfig(**{**CONFIG.__dict__, "seed": 8}))
    assert (tmp_path / "c" / other[1].path).read_bytes() != (
        tmp_path / "a" / first[1].path
    ).read_bytes()


def test_files_land_one_per_day_with_the_special_files(tmp_path):
    landed = generate(tmp_path, CONFIG)
    tx = [f for f in landed if f.dataset == "transactions"]
    assert [f.landing_date for f in tx] == [
        "2026-11-02",
        "2026-11-03",
        "2026-11-04",
        "2026-11-05",
        "2026-11-06",
    ]
    assert (tmp_path / tx[1].path).read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in (tmp_path / tx[1].path).read_bytes()
    assert "promo_code" in (tmp_path / tx[2].path).read_text().splitlines()[0]
    assert "payment_method" not in (tmp_path / tx[3].path).read_text().splitlines()[0]
    assert [f.dataset for f in landed].count("customers") == 2


def test_generated_data_has_every_defect_kind_and_several_stores_and_categories(spark, tmp_path):
    generate(tmp_path, CONFIG)
    files = list_files(spark, f"file:{tmp_path}/bronze/transactions")
    spark.conf.set(b2s.CSV_COLUMN_PRUNING, "false")
    try:
        raw, reports = b2s.read_bronze(spark, files, TRANSACTIONS)
        classified = b2s.classify_transactions(raw).cache()
        reasons = Counter(r[0] for r in classified.select("rejection_reason").collect())
        valid = classified.where("rejection_reason IS NULL")
        stores = {r[0] for r in valid.select("_store_location").distinct().collect()}
        categories = {r[0] for r in valid.select("_product_category").distinct().collect()}
        dates = {r[0] for r in valid.select("_transaction_date").distinct().collect()}
        classified.unpersist()
    finally:
        spark.conf.unset(b2s.CSV_COLUMN_PRUNING)
    # Whole-file shapes (no header, Latin-1 bytes) come from tools/real_world_files.py instead.
    file_level = {b2s.REASON_HEADER, b2s.REASON_ENCODING}
    expected = (
        set(b2s.TRANSACTION_REASONS)
        - file_level
        - {
            "missing_product_category",
            "missing_store_location",
        }
    )
    assert expected <= set(reasons)
    assert reasons[None] > 0.85 * sum(reasons.values())  # mostly good data
    assert len(stores) == 6
    assert len(categories) == 8
    assert len(dates) == 5
    assert [
        (r.missing_columns, r.extra_columns)
        for r in reports
        if r.missing_columns or r.extra_columns
    ] == [
        ([], ["promo_code"]),
        (["payment_method"], []),
    ]
