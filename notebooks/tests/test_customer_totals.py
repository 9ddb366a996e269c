"""Running per-customer totals (analytics_pipeline.customer_totals): signed changes added to the
stored totals must always equal a recomputation from silver - after amount corrections,
corrections that move a transaction to another date or customer, and crashed runs."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from analytics_pipeline import bronze_to_silver, customer_totals, silver_to_gold
from analytics_pipeline.entrypoints import bronze_to_silver_main, silver_to_gold_main
from analytics_pipeline.paths import SilverPaths
from tools.lake import set_landing_time

COLUMNS = "transaction_id string, customer_id string, transaction_date date, amount decimal(18,2), quantity int"


def rows(spark, *data):
    return spark.createDataFrame(
        [(t, c, date.fromisoformat(d), Decimal(a), q) for t, c, d, a, q in data], COLUMNS
    )


def as_set(df) -> set[tuple]:
    return {tuple(r) for r in df.select(*customer_totals.TOTALS_SCHEMA.fieldNames()).collect()}


BEFORE = [
    ("t1", "A", "2027-03-01", "10.00", 1),
    ("t2", "A", "2027-03-05", "20.00", 2),
    ("t3", "A", "2027-03-09", "30.00", 1),
    ("t4", "B", "2027-03-02", "5.00", 1),
    ("t5", "B", "2027-03-02", "7.00", 3),
    ("t6", "C", "2027-03-03", "100.00", 1),
    ("t7", "D", "2027-03-04", "1.00", 1),
    ("t8", "D", "2027-03-06", "2.00", 1),
    ("t9", "D", "2027-03-08", "3.00", 1),
    ("t10", "E", "2027-03-05", "50.00", 1),
]
AFTER = [
    ("t1", "A", "2027-03-04", "10.00", 1),  # A's only row on its first date moves up: unknown first
    ("t2", "A", "2027-03-05", "20.00", 2),
    ("t3", "A", "2027-03-09", "30.00", 1),
    ("t11", "A", "2027-03-10", "1.50", 1),  # a new last date above the old one: known
    ("t4", "B", "2027-03-02", "4.50", 1),  # amount corrected, same date
    ("t5", "B", "2027-03-02", "7.00", 3),
    ("t6", "F", "2027-03-03", "100.00", 1),  # moved to another customer: C is gone, F is new
    ("t7", "D", "2027-03-04", "1.00", 1),
    ("t8", "D", "2027-03-06", "2.00", 1),
    ("t9", "D", "2027-03-01", "3.00", 1),  # moved below D's first date; D's last date empties
    ("t10", "E", "2027-03-05", "50.00", 1),
    ("t12", "G", "2027-03-07", "8.00", 2),
    ("t13", "G", "2027-03-07", "9.00", 1),
]


def test_signed_changes_equal_a_recomputation_and_only_emptied_extremes_are_recomputed(spark):
    before, after = rows(spark, *BEFORE), rows(spark, *AFTER)
    totals = customer_totals.totals_from_transactions(before)
    changes = customer_totals.signed_changes(after, before)

    updated, recompute = customer_totals.apply_changes(totals, changes)
    # A's first date and D's last date emptied with nothing known beyond them; C has no rows left
    assert {r.customer_id for r in recompute.collect()} == {"A", "D"}
    assert {r.customer_id for r in updated.collect()} == {"B", "F", "G"}
    b = next(r for r in updated.collect() if r.customer_id == "B")
    assert (b.total_spend, b.transaction_count, b.first_date_transactions) == (
        Decimal("11.50"),
        2,
        2,
    )

    advanced, recomputed = customer_totals.advance(totals, changes, lambda: after)
    assert recomputed == 2
    assert as_set(advanced) == as_set(customer_totals.totals_from_transactions(after))


def test_changes_of_several_batches_add_up(spark):
    before, after = rows(spark, *BEFORE), rows(spark, *AFTER)
    middle = rows(spark, *BEFORE[:5], *AFTER[5:7], *BEFORE[6:])  # C's row moved first
    totals = customer_totals.totals_from_transactions(before)
    changes = customer_totals.signed_changes(middle, before).unionByName(
        customer_totals.signed_changes(after, middle)
    )
    kept = []

    def keep(df):  # as silver_to_gold does: the fold cached for its two uses
        kept.append(df.persist())
        return kept[-1]

    advanced, _ = customer_totals.advance(totals, changes, lambda: after, keep)
    assert as_set(advanced) == as_set(customer_totals.totals_from_transactions(after))
    assert len(kept) == 1
    kept[0].unpersist()


def test_customer_ids_frame_holds_exactly_the_ids_whatever_their_characters(spark):
    ids = ["C1", 'qu"ote', "back\\slash", "com,ma", "tab\there", "Zoë", "日本", "", " C1 ", "C1"]
    got = [r.customer_id for r in customer_totals.customer_ids_frame(spark, ids).collect()]
    assert sorted(got) == sorted(ids)  # duplicates kept, nothing trimmed or split
    assert customer_totals.customer_ids_frame(spark, []).collect() == []


# -- through the pipeline ----------------------------------------------------------------------------
HEADER = "transaction_id,customer_id,transaction_date,product_id,product_category,quantity,amount,store_location,payment_method"


def land(lake: Path, name: str, lines: list[str], when: str) -> None:
    path = lake / "bronze" / "transactions" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([HEADER, *lines, ""]))
    set_landing_time(path, when)


def run(spark, lake: Path, run_id: str) -> tuple[dict, dict]:
    params = {"storage_account": str(lake), "pipeline_run_id": run_id, "quality_threshold": "0"}
    return bronze_to_silver_main(spark, params), silver_to_gold_main(spark, params)


DAY1 = [
    "K1,C1,2027-03-01,P1,Toys,1,10.00,Austin,card",
    "K2,C1,2027-03-05,P1,Toys,2,20.00,Austin,card",
    "K3,C2,2027-03-02,P1,Books,1,5.00,Denver,cash",
    "K4,C2,2027-03-02,P1,Books,1,6.00,Denver,cash",
    "K5,C3,2027-03-03,P1,Toys,1,99.00,Austin,card",
    "K6,C4,2027-03-04,P1,Toys,1,1.00,Austin,card",
]
DAY2 = [
    "K1,C1,2027-03-06,P1,Toys,1,10.00,Austin,card",  # C1's first date empties: recomputed
    "K4,C2,2027-03-02,P1,Books,1,5.50,Denver,cash",  # corrected amount
    "K5,C5,2027-03-03,P1,Toys,1,99.00,Austin,card",  # another customer: C3 is gone
    "K7,C6,2027-03-07,P1,Toys,3,30.00,Austin,card",
]


def silver_totals(spark, lake: Path) -> set[tuple]:
    silver = spark.read.parquet(str(lake / "silver" / "transactions"))
    return as_set(customer_totals.totals_from_transactions(silver))


def stored_totals(spark, lake: Path) -> set[tuple]:
    root = customer_totals.totals_root(SilverPaths(str(lake / "silver")))
    [latest] = customer_totals.batches(spark, root)  # older ones are pruned
    return as_set(customer_totals.read(spark, root, latest, customer_totals.TOTALS_SCHEMA))


def gold_segments(spark, lake: Path) -> set[tuple]:
    df = spark.read.format("delta").load(str(lake / "gold" / "customer_segmentation"))
    return {tuple(r)[:-3] for r in df.collect()}


def recomputed_segments(spark, lake: Path) -> set[tuple]:
    silver = spark.read.parquet(str(lake / "silver" / "transactions"))
    return {tuple(r) for r in silver_to_gold.customer_segmentation(silver, None).collect()}


@pytest.fixture(scope="module")
def day1_run(spark, tmp_path_factory) -> tuple[Path, Path, tuple[dict, dict]]:
    """DAY1 landed and run (run-1) once for the tests below, and the lake's files kept aside."""
    root = tmp_path_factory.mktemp("totals")
    lake = root / "lake"
    land(lake, "day1.csv", DAY1, "2027-03-08T01:00:00+00:00")
    statuses = run(spark, lake, "run-1")
    shutil.copytree(lake, root / "after-day1")
    return lake, root / "after-day1", statuses


@pytest.fixture
def lake_after_day1(spark, day1_run) -> tuple[Path, tuple[dict, dict]]:
    """The lake as run-1 left it, at the path it ran at (the processed-file records hold absolute
    bronze paths), and run-1's statuses: each test starts from the same state, one run cheaper."""
    lake, saved, statuses = day1_run
    shutil.rmtree(lake)
    shutil.copytree(saved, lake)  # copy2: the landing times (mtimes) stay
    # Delta caches each table's log by path; the files just went back in time.
    spark._jvm.org.apache.spark.sql.delta.DeltaLog.clearCache()
    return lake, statuses


def test_incremental_runs_apply_changes_and_match_silver(spark, lake_after_day1):
    lake, run1 = lake_after_day1
    assert run1[1]["metrics"]["customer_totals"]["mode"] == "rebuilt"
    land(lake, "day2.csv", DAY2, "2027-03-09T01:00:00+00:00")
    m = run(spark, lake, "run-2")[1]["metrics"]
    assert m["customer_totals"] == {"mode": "applied", "customers_recomputed": 1}  # C1
    assert stored_totals(spark, lake) == silver_totals(spark, lake)
    segments = gold_segments(spark, lake)
    assert segments == recomputed_segments(spark, lake)
    assert "C3" not in {r[0] for r in segments}
    # a rerun changes nothing
    b2s, s2g = run(spark, lake, "run-3")
    assert (b2s["status"], s2g["status"]) == ("NO_NEW_DATA", "NO_NEW_DATA")
    assert stored_totals(spark, lake) == silver_totals(spark, lake)


def test_a_crashed_batch_makes_the_totals_rebuild_from_silver(spark, lake_after_day1, monkeypatch):
    """The batch records its customer changes, then dies before silver is overwritten: nothing
    may add those changes (silver does not hold them); the rerun's changes are the real ones."""
    lake, _ = lake_after_day1
    land(lake, "day2.csv", DAY2, "2027-03-09T01:00:00+00:00")
    write = bronze_to_silver._write_transactions
    target = str(lake / "silver" / "transactions")

    def crash_on_silver(df, path, mode):
        if path.endswith(target):
            raise OSError("cluster lost")
        write(df, path, mode)

    monkeypatch.setattr(bronze_to_silver, "_write_transactions", crash_on_silver)
    with pytest.raises(OSError, match="cluster lost"):
        run(spark, lake, "run-2")
    monkeypatch.undo()
    assert customer_totals.batches(
        spark, customer_totals.changes_root(SilverPaths(str(lake / "silver")))
    ), "the crash must come after the changes were written"

    s2g = silver_to_gold_main(spark, {"storage_account": str(lake), "pipeline_run_id": "run-2"})
    assert s2g["metrics"]["customer_totals"]["mode"] == "rebuilt"  # an uncommitted batch
    assert stored_totals(spark, lake) == silver_totals(spark, lake)

    run(spark, lake, "run-3")
    assert stored_totals(spark, lake) == silver_totals(spark, lake)
    assert gold_segments(spark, lake) == recomputed_segments(spark, lake)
