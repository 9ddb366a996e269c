"""Quality threshold, quarantine idempotency and the rows-read invariant on real files."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from analytics_pipeline import control
from analytics_pipeline.entrypoints import bronze_to_silver_main
from analytics_pipeline.paths import SilverPaths
from analytics_pipeline.status import QualityThresholdError
from tools.lake import land_fixture

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
ALL_REASONS = {
    "malformed_row": 2,  # one short row, one long row
    "missing_transaction_id": 1,
    "missing_customer_id": 1,
    "invalid_transaction_date": 1,
    "invalid_amount": 1,
    "non_positive_amount": 1,
    "invalid_quantity": 1,
    "non_positive_quantity": 1,
    "missing_product_category": 1,
    "missing_store_location": 1,
    "duplicate_transaction_id": 1,
}


def params(lake: Path, **extra) -> dict:
    return {"storage_account": str(lake), "pipeline_run_id": "run-1", **extra}


def quarantine(spark, lake: Path):
    return spark.read.parquet(str(lake / "silver" / "quarantine" / "transactions"))


def test_every_defect_kind_in_one_file(spark, lake):
    land_fixture(lake, "transactions_all_defects.csv", target_dir="bronze/transactions")
    status = bronze_to_silver_main(spark, params(lake, quality_threshold="0"), now=NOW)
    m = status["metrics"]
    assert status["status"] == "SUCCEEDED"
    assert (m["rows_read"], m["rows_valid"], m["rows_quarantined"]) == (13, 1, 12)
    assert m["rows_read"] == m["rows_valid"] + m["rows_quarantined"]
    assert m["rejected_by_reason"] == ALL_REASONS
    assert m["quality_rate"] == 7.69
    q = quarantine(spark, lake)
    assert Counter(r.rejection_reason for r in q.collect()) == ALL_REASONS
    assert {r.source_file_name for r in q.collect()} == {"transactions_all_defects.csv"}
    [valid] = spark.read.parquet(str(lake / "silver" / "transactions")).collect()
    assert (valid.transaction_id, valid.quantity, valid.source_record_number) == ("D01", 2, 12)


def test_threshold_breach_records_metrics_then_fails_without_touching_silver(spark, lake):
    land_fixture(lake, "transactions_2026-11-01.csv")  # 4 of 8 rows valid: 50 %
    silver = SilverPaths(str(lake / "silver"))

    with pytest.raises(QualityThresholdError) as failure:
        bronze_to_silver_main(spark, params(lake), now=NOW)  # default threshold 95
    status = failure.value.status
    assert status["status"] == "FAILED"
    assert status["metrics"]["quality_rate"] == 50.0
    assert status["metrics"]["quality_threshold"] == 95.0
    # the error message carries the same JSON for Data Factory's activity output
    assert json.loads(str(failure.value).split("status=", 1)[1]) == status

    [record] = control.run_records(spark, silver, "bronze_to_silver")
    assert (record["status"], record["metrics"]["rows_read"], record["metrics"]["rows_valid"]) == (
        "FAILED",
        8,
        4,
    )
    assert not (lake / "silver" / "transactions").exists()  # silver untouched
    assert control.processed_files(spark, silver) == []  # the file stays unprocessed
    assert quarantine(spark, lake).count() == 4  # quarantine is there to investigate

    # The operator accepts the batch by lowering the threshold for this run.
    ok = bronze_to_silver_main(
        spark, params(lake, quality_threshold="50", pipeline_run_id="run-2"), now=NOW
    )
    assert ok["status"] == "SUCCEEDED"
    assert quarantine(spark, lake).count() == 4  # replaced, not appended
    assert spark.read.parquet(str(lake / "silver" / "transactions")).count() == 4
    assert [f["name"] for f in control.processed_files(spark, silver)] == [
        "transactions_2026-11-01.csv"
    ]
    assert [r["status"] for r in control.run_records(spark, silver, "bronze_to_silver")] == [
        "FAILED",
        "SUCCEEDED",
    ]


def test_no_new_data_on_an_empty_lake(spark, lake):
    status = bronze_to_silver_main(spark, params(lake), now=NOW)
    assert status["status"] == "NO_NEW_DATA"
    assert status["metrics"]["files_processed"] == 0
    assert status["metrics"]["quality_rate"] == 100.0
    assert not (lake / "bronze").exists()  # nothing is ever written to bronze
