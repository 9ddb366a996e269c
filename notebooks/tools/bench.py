"""``make bench-pipeline``: full refresh of N rows over D days, then an incremental day D+1.

Not a test: it measures. For each phase it reports wall time of bronze_to_silver and
silver_to_gold (through the same entry points the notebooks call), rows/second (bronze rows read /
total wall time) and peak resident memory of the Spark JVM plus this Python process, sampled every
0.2 s. The incremental run should cost O(new data): its time is reported as a ratio to the full
refresh. Results go to stdout and to ``--report`` (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyspark

from analytics_pipeline.entrypoints import bronze_to_silver_main, silver_to_gold_main
from tools.local_spark import build_local_spark
from tools.sample_data import GeneratorConfig, SampleData, landing_time

START = date(2026, 10, 1)


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakMemory:
    """Samples RSS of the given pids every ``interval`` seconds; ``peak`` is the largest sum."""

    def __init__(self, pids: list[int], interval: float = 0.2):
        self.pids, self.interval, self.peak = pids, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(_rss_kib(p) for p in self.pids))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


@dataclass
class Phase:
    name: str
    b2s_seconds: float
    s2g_seconds: float
    rows_read: int
    rows_valid: int
    peak_mib: float
    b2s: dict
    s2g: dict

    @property
    def seconds(self) -> float:
        return self.b2s_seconds + self.s2g_seconds

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0


def run_phase(spark, name: str, lake: Path, ingestion_date: date, pids: list[int]) -> Phase:
    widgets = {
        "storage_account": str(lake),
        "pipeline_run_id": f"bench-{name}",
        "ingestion_date": ingestion_date.isoformat(),
        "quality_threshold": "0",
    }
    with PeakMemory(pids) as mem:
        t0 = time.perf_counter()
        b2s = bronze_to_silver_main(spark, widgets)
        t1 = time.perf_counter()
        s2g = silver_to_gold_main(spark, widgets)
        t2 = time.perf_counter()
    m = b2s["metrics"]
    return Phase(name, t1 - t0, t2 - t1, m["rows_read"], m["rows_valid"], mem.peak / 1024, b2s, s2g)


def rows_per_day(total: int, days: int) -> int:
    """Base rows per day so that ``days`` days (weekends carry 25 % more) hold about ``total``."""
    weight = sum(1.25 if (START + timedelta(days=d)).weekday() >= 5 else 1.0 for d in range(days))
    return round(total / weight)


def machine() -> dict:
    cpu = "unknown"
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as fh:
        mem_kib = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[
        0
    ]
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "java": java,
        "pyspark": pyspark.__version__,
    }


def report(
    args, gen_seconds: float, total_rows: int, phases: list[Phase], info: dict, load: tuple
) -> str:
    full, incr = phases
    ratio = incr.seconds / full.seconds
    rows = "\n".join(
        f"| {p.name} | {p.rows_read:,} | {p.rows_valid:,} | {p.b2s_seconds:.1f} | {p.s2g_seconds:.1f} | "
        f"{p.seconds:.1f} | {p.rows_per_second:,.0f} | {p.peak_mib:,.0f} |"
        for p in phases
    )
    fm, im = full.s2g["metrics"], incr.s2g["metrics"]
    silver = incr.b2s["metrics"].get("silver", {})
    return f"""# Pipeline benchmark

`make bench-pipeline` (BENCH_ROWS={args.rows}, BENCH_DAYS={args.days}), run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.
Not a test: a measurement on one machine, through the same entry points the notebooks call
(`bronze_to_silver_main`, `silver_to_gold_main`) on a local lake (`.lake/bench`).

## Machine

- {info["cores"]} cores, {info["memory_gib"]} GiB RAM ({info["cpu"]}); {info["os"]}
- Python {info["python"]}, {info["java"]}, pyspark {info["pyspark"]} + delta-spark, `local[{args.cores}]`,
  driver memory {args.driver_memory}, `spark.sql.shuffle.partitions={args.shuffle_partitions}`
- Shared machine: load average {load[0]:.2f} before and {load[1]:.2f} after the run (other builds were
  running on the same 2 cores), so absolute times are pessimistic; the ratio is the point.

## Data

- {total_rows:,} generated transaction rows over {args.days} days (one file per day; weekend days carry 25 %
  more rows, daily volume jitters by ±5 %) + one more day for the incremental run; {args.rows // 20:,} customers; ~1 % row defects and
  ~1 % corrected re-sends of the previous day's transactions. Generation took {gen_seconds:.0f} s (not counted).

## Results

| run | rows read | rows valid | bronze_to_silver (s) | silver_to_gold (s) | total (s) | rows/s | peak RSS JVM+Python (MiB) |
|-----|----------:|-----------:|---------------------:|-------------------:|----------:|-------:|--------------------------:|
{rows}

**Incremental / full refresh wall time: {ratio:.2f}** ({incr.seconds:.1f} s vs {full.seconds:.1f} s) for
{incr.rows_read / full.rows_read:.1%} of the rows.

- Full refresh: silver_to_gold ran in mode `{fm["mode"]}` over {fm["silver_rows_read"]:,} silver rows and
  {fm["customers_refreshed"]:,} customers.
- Incremental day {args.days + 1}: bronze_to_silver read only the new file; it rewrote
  {silver.get("partitions_rewritten", 0)} existing silver partition(s) (re-sent transactions of the previous day;
  {silver.get("rows_replaced", 0)} rows replaced by their later version) and wrote dates {silver.get("dates_written")}.
  silver_to_gold recomputed {im["dates_refreshed"]} date(s) from {im["silver_rows_read"]:,} silver rows and
  {im["customers_refreshed"]:,} customers (their lifetime totals come from a customer_id-pruned read of silver).
- What still scales with history in an incremental run: listing the processed-file records, a two-column
  probe of silver's `transaction_id` for re-sent ids, and the customer_segmentation read of the touched
  customers' history. Everything else is proportional to the new file.
- Peak RSS is the whole local Spark JVM (driver and executors share it in local mode) plus the Python
  driver; on the cluster the same work is spread over the workers.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--lake", required=True)
    parser.add_argument("--report", help="write the Markdown report here")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--shuffle-partitions", type=int, default=8)
    parser.add_argument("--driver-memory", default="8g")
    args = parser.parse_args(argv)

    lake = Path(args.lake).resolve()
    shutil.rmtree(lake, ignore_errors=True)
    lake.mkdir(parents=True)
    load_before = os.getloadavg()[0]

    t0 = time.perf_counter()
    config = GeneratorConfig(
        start_date=START,
        days=args.days + 1,
        rows_per_day=rows_per_day(args.rows, args.days),
        customers=max(200, args.rows // 20),
        defect_rate=0.01,
        duplicate_rate=0.01,
    )
    landed = SampleData(config).generate(lake)
    gen_seconds = time.perf_counter() - t0
    full_rows = sum(f.rows for f in landed[:-1] if f.dataset == "transactions")
    print(
        f"generated {sum(f.rows for f in landed if f.dataset == 'transactions'):,} rows in {gen_seconds:.0f} s"
    )

    spark = build_local_spark(
        "bench-pipeline",
        cores=args.cores,
        shuffle_partitions=args.shuffle_partitions,
        driver_memory=args.driver_memory,
    )
    try:
        jvm_pid = int(spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid())
        pids = [jvm_pid, os.getpid()]
        last_full_day = START + timedelta(days=args.days - 1)
        full = run_phase(spark, "full refresh", lake, landing_time(last_full_day).date(), pids)
        print(
            f"full refresh: {full.seconds:.1f} s, {full.rows_read:,} rows, peak {full.peak_mib:,.0f} MiB"
        )
        incr_day = START + timedelta(days=args.days)
        incr = run_phase(
            spark, f"incremental day {args.days + 1}", lake, landing_time(incr_day).date(), pids
        )
        print(
            f"incremental: {incr.seconds:.1f} s, {incr.rows_read:,} rows, peak {incr.peak_mib:,.0f} MiB"
        )
    finally:
        spark.stop()

    text = report(
        args, gen_seconds, full_rows, [full, incr], machine(), (load_before, os.getloadavg()[0])
    )
    print(text)
    print(f"(python max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB)")
    if args.report:
        Path(args.report).write_text(text)
        print(f"wrote {args.report}")


if __name__ == "__main__":
    main()
