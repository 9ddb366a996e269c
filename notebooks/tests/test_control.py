"""The processed-files index: one consolidated read instead of every batch record, never a
different answer than the records themselves."""

from __future__ import annotations

from datetime import UTC, datetime

from analytics_pipeline import control, lakefs
from analytics_pipeline.paths import SilverPaths

NOW = datetime(2027, 3, 10, tzinfo=UTC)


def entry(name: str, size: int = 10, dataset: str = "transactions") -> dict:
    return {"dataset": dataset, "path": f"file:/b/{name}", "name": name, "size": size,
            "modified_ms": 1000 + size}  # fmt: skip


def index_names(spark, silver: SilverPaths) -> list[str]:
    return [f.name for f in lakefs.list_files(spark, f"{silver.processed_files}/_index", ".json")]


def test_index_consolidates_commits_and_records_after_it_still_count(spark, tmp_path):
    silver = SilverPaths(str(tmp_path / "silver"))
    control.record_processed_files(spark, silver, 0, "r0", NOW, [entry("a.csv")])
    control.record_processed_files(
        spark, silver, 1, "r1", NOW, [entry("b.csv"), entry("c.csv", dataset="customers")]
    )
    assert index_names(spark, silver) == ["upto-0000000001.json"]  # the older one is deleted
    expected = {("file:/b/a.csv", 10, 1010), ("file:/b/b.csv", 10, 1010)}
    assert control.processed_file_keys(spark, silver, "transactions") == expected

    # A commit whose index was never written (crash right after the commit) still counts.
    control._write_json(
        spark,
        f"{silver.processed_files}/batch-0000000002.json",
        {"batch_id": 2, "files": [entry("a.csv", size=11)], "superseded": []},
    )
    keys = control.processed_file_keys(spark, silver, "transactions")
    assert keys == expected | {("file:/b/a.csv", 11, 1011)}
    # ... and the index is only a shortcut: without it the records give the same answer
    lakefs.delete(spark, f"{silver.processed_files}/_index")
    assert control.processed_file_keys(spark, silver, "transactions") == keys
    assert control.processed_file_keys(spark, silver, "customers") == {("file:/b/c.csv", 10, 1010)}
