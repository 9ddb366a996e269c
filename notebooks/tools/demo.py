"""``make demo``: sample data -> both notebooks on a local lake -> quality metrics and gold tables.

The notebooks run as files (``tools.run_notebook``: the same cells, widgets and exit JSON as on
Databricks), with ``storage_account`` pointing at a local folder instead of an ADLS account:

1. generate a week of bronze files with every defect kind, plus a late file for day 3;
2. run A (ingestion_date = day 7): days 1-6 land -> full build of silver and gold;
3. run B (ingestion_date = day 8): the day-7 file and the late file -> incremental;
4. run C (same date again): nothing new -> NO_NEW_DATA, nothing changes.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

from analytics_pipeline.silver_to_gold import GOLD_TABLES
from tools.local_spark import build_local_spark
from tools.run_notebook import run_notebook
from tools.sample_data import GeneratorConfig, SampleData

NOTEBOOKS = Path(__file__).resolve().parents[1]
START = date(2026, 11, 1)


def _run(spark, notebook: str, widgets: dict) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):  # the notebook prints its JSON; we print a summary
        value = run_notebook(NOTEBOOKS / f"{notebook}.py", spark, widgets)
    return json.loads(value)


def _print_b2s(name: str, status: dict) -> None:
    m = status["metrics"]
    print(f"\n[{name}] bronze_to_silver: {status['status']}")
    print(
        f"  files {m['files_processed']}  read {m['rows_read']}  valid {m['rows_valid']}  "
        f"quarantined {m['rows_quarantined']}  quality {m['quality_rate']}% "
        f"(threshold {m['quality_threshold']}%)"
    )
    for reason, count in m["rejected_by_reason"].items():
        print(f"    {reason:<28} {count}")
    for drift in m.get("schema_drift", []):
        print(
            f"  schema drift {Path(drift['file']).name}: missing {drift['missing_columns']}, "
            f"extra {drift['extra_columns']}"
        )
    if m.get("customers", {}).get("files_processed"):
        c = m["customers"]
        print(
            f"  customers: files {c['files_processed']}  read {c['rows_read']}  valid {c['rows_valid']}  "
            f"quarantined {c['rows_quarantined']}  {c['rejected_by_reason']}"
        )
    if "silver" in m:
        s = m["silver"]
        print(
            f"  silver dates written {s.get('dates_written')}  partitions rewritten "
            f"{s.get('partitions_rewritten')}  rows replaced by a later version {s.get('rows_replaced')}"
        )


def _print_s2g(name: str, status: dict) -> None:
    m = status["metrics"]
    print(f"[{name}] silver_to_gold: {status['status']}  mode {m['mode']}")
    if m["dates_refreshed"]:
        print(
            f"  dates refreshed {m['dates_refreshed']} ({m['first_date_refreshed']} .. "
            f"{m['last_date_refreshed']})  silver rows read {m['silver_rows_read']}  "
            f"customers refreshed {m['customers_refreshed']}"
        )
    if m["rows_written"]:
        print(f"  rows written {m['rows_written']}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the pipeline on sample data locally.")
    parser.add_argument("--lake", required=True, help="local folder standing in for the lake")
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--rows-per-day", type=int, default=300)
    args = parser.parse_args(argv)

    lake = Path(args.lake).resolve()
    shutil.rmtree(lake, ignore_errors=True)
    lake.mkdir(parents=True)
    config = GeneratorConfig(
        start_date=START, days=args.days, rows_per_day=args.rows_per_day, defect_rate=0.02
    )
    data = SampleData(config)
    landed = data.generate(lake)
    last_day = START + timedelta(days=args.days - 1)
    landed.append(data.late_file(lake, START + timedelta(days=2), last_day + timedelta(days=1), 25))
    print(f"Generated {len(landed)} bronze files under {lake / 'bronze'}:")
    for f in landed:
        notes = f"  ({'; '.join(f.notes)})" if f.notes else ""
        print(f"  lands {f.landing_date}  {f.rows:>5} rows  {f.path}{notes}")

    spark = build_local_spark("make-demo")
    try:
        runs = [
            ("A", (last_day).isoformat()),  # days 1..N-1 have landed
            ("B", (last_day + timedelta(days=1)).isoformat()),  # day N + the late file
            ("C", (last_day + timedelta(days=1)).isoformat()),  # rerun: nothing new
        ]
        for name, ingestion_date in runs:
            widgets = {
                "storage_account": str(lake),
                "pipeline_run_id": f"demo-run-{name}",
                "ingestion_date": ingestion_date,
            }
            _print_b2s(f"{name} {ingestion_date}", _run(spark, "bronze_to_silver", widgets))
            _print_s2g(f"{name} {ingestion_date}", _run(spark, "silver_to_gold", widgets))

        print("\nExit status JSON of the last bronze_to_silver run (what Data Factory receives):")
        print(
            json.dumps(
                _run(spark, "bronze_to_silver", {**widgets, "pipeline_run_id": "demo-run-D"}),
                indent=1,
            )
        )

        for table in GOLD_TABLES:
            df = spark.read.format("delta").load(str(lake / "gold" / table))
            print(f"\ngold/{table}: {df.count()} rows")
            order = ["customer_id"] if table == "customer_segmentation" else df.columns[:2]
            df.orderBy(*order).show(8, truncate=False)
        quarantine = spark.read.parquet(str(lake / "silver" / "quarantine" / "transactions"))
        print("silver/quarantine/transactions (a sample):")
        quarantine.select(
            "source_file_name",
            "source_record_number",
            "transaction_id",
            "amount",
            "rejection_reason",
        ).orderBy("source_file_name", "source_record_number").show(8, truncate=False)
        print(f"Local lake: {lake}  (control records and metrics under silver/_pipeline/)")
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
