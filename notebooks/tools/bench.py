"""``make bench-pipeline``: full refresh of N rows over D days, an incremental day D+1 and a tiny
day, on two history sizes (D days and ``--long-days``, same rows per day, same new files).

Not a test: it measures. For each run it reports wall time of bronze_to_silver and silver_to_gold
(through the same entry points the notebooks call), rows/second (bronze rows read / total wall
time), the bytes Spark's tasks read (task input metrics from Spark's event log), Spark jobs, peak
resident memory of the Spark JVM plus this Python process (sampled every 0.2 s) and the 1-minute
load average around it. The incremental run should cost O(new data): its time is reported as a
ratio to the full refresh, and its time and bytes on the long history as a ratio to the short one,
all from the same run. Results go to stdout, ``--report`` (docs/benchmarks.md) and ``--plot``.
"""

from __future__ import annotations

import argparse
import json
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

START = date(2026, 10, 1)  # rows_per_day's calendar (weekends) for --days


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
    history_days: int
    name: str
    b2s_seconds: float
    s2g_seconds: float
    rows_read: int
    rows_valid: int
    peak_mib: float
    spark_jobs: int
    b2s_bytes: int
    s2g_bytes: int
    load: tuple[float, float]
    b2s: dict
    s2g: dict

    @property
    def seconds(self) -> float:
        return self.b2s_seconds + self.s2g_seconds

    @property
    def bytes_read(self) -> int:
        return self.b2s_bytes + self.s2g_bytes

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0


class InputMetrics:
    """Bytes Spark's tasks read (``Input Metrics`` of every task end) from the event log.

    Spark writes the event log as JSON lines and flushes it at every job end; waiting for the
    listener bus to drain makes every finished task's metrics readable. Driver-side reads (the
    pipeline's JSON records, CSV headers, Delta's log replay on the driver) are not tasks and are
    not counted.
    """

    def __init__(self, spark, directory: Path):
        self.spark, self.directory, self.offset = spark, directory, 0

    def _file(self) -> Path:
        app = self.spark.sparkContext.applicationId
        [path] = [p for p in self.directory.iterdir() if p.name.startswith(app)]
        return path

    def since_last(self) -> int:
        """Bytes read by the tasks that ended since the previous call."""
        self.spark.sparkContext._jsc.sc().listenerBus().waitUntilEmpty()
        total = 0
        with open(self._file(), "rb") as fh:
            fh.seek(self.offset)
            data = fh.read()
        complete = data[: data.rfind(b"\n") + 1]
        self.offset += len(complete)
        for line in complete.splitlines():
            if b"SparkListenerTaskEnd" not in line:
                continue
            metrics = json.loads(line).get("Task Metrics") or {}
            total += metrics.get("Input Metrics", {}).get("Bytes Read", 0)
        return total


def run_phase(
    spark, metrics: InputMetrics, days: int, name: str, lake: Path, ingestion: date, pids
) -> Phase:
    widgets = {
        "storage_account": str(lake),
        "pipeline_run_id": f"bench-{days}-{name}",
        "ingestion_date": ingestion.isoformat(),
        "quality_threshold": "0",
    }
    tracker = spark.sparkContext.statusTracker()
    jobs_before = len(tracker.getJobIdsForGroup(None))
    metrics.since_last()
    load_before = os.getloadavg()[0]
    with PeakMemory(pids) as mem:
        t0 = time.perf_counter()
        b2s = bronze_to_silver_main(spark, widgets)
        t1 = time.perf_counter()
        b2s_bytes = metrics.since_last()
        t2 = time.perf_counter()
        s2g = silver_to_gold_main(spark, widgets)
        t3 = time.perf_counter()
    s2g_bytes = metrics.since_last()
    m = b2s["metrics"]
    jobs = len(tracker.getJobIdsForGroup(None)) - jobs_before
    phase = Phase(
        days, name, t1 - t0, t3 - t2, m["rows_read"], m["rows_valid"], mem.peak / 1024, jobs,
        b2s_bytes, s2g_bytes, (load_before, os.getloadavg()[0]), b2s, s2g,
    )  # fmt: skip
    print(
        f"{days} days, {name}: {phase.seconds:.1f} s, {phase.rows_read:,} rows, "
        f"{phase.bytes_read / MIB:,.1f} MiB read, {jobs} jobs, load {phase.load[0]:.1f}-{phase.load[1]:.1f}"
    )
    return phase


MIB = 1024 * 1024


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


def _row(p: Phase) -> str:
    return (
        f"| {p.history_days} | {p.name} | {p.rows_read:,} | {p.b2s_seconds:.1f} | {p.s2g_seconds:.1f} | "
        f"{p.seconds:.1f} | {p.rows_per_second:,.0f} | {p.bytes_read / MIB:,.1f} | {p.spark_jobs} | "
        f"{p.peak_mib:,.0f} | {p.load[0]:.2f} / {p.load[1]:.2f} |"
    )


def report(args, gen_seconds: float, runs: dict[int, list[Phase]], info: dict, plot: str) -> str:
    short, long = runs[args.days], runs[args.long_days]
    (full, incr, tiny), (full_l, incr_l, tiny_l) = short, long
    rows = "\n".join(_row(p) for phases in runs.values() for p in phases)
    fm, im = full.s2g["metrics"], incr.s2g["metrics"]
    silver = incr.b2s["metrics"].get("silver", {})
    growth = args.long_days / args.days
    return f"""# Pipeline benchmark

`make bench-pipeline` (BENCH_ROWS={args.rows}, BENCH_DAYS={args.days}, BENCH_LONG_DAYS={args.long_days}), run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.
Not a test: a measurement on one machine, through the same entry points the notebooks call
(`bronze_to_silver_main`, `silver_to_gold_main`) on local lakes (`.lake/bench/<days>d`).

## Machine

- {info["cores"]} cores, {info["memory_gib"]} GiB RAM ({info["cpu"]}); {info["os"]}
- Python {info["python"]}, {info["java"]}, pyspark {info["pyspark"]} + delta-spark, `local[{args.cores}]`,
  driver memory {args.driver_memory}, `spark.sql.shuffle.partitions={args.shuffle_partitions}`
- Shared machine: the last column is the 1-minute load average before / after each run (on
  {info["cores"]} cores; above {info["cores"]} means other work competed for the CPU and times are pessimistic).
  Ratios below compare runs of this one benchmark process, minutes apart.

## Data

- {args.days} days of history: {sum(p.rows_read for p in short[:1]):,} generated transaction rows (one file per day;
  weekend days carry 25 % more rows, daily volume jitters by ±5 %); {args.long_days} days: the same rows per day,
  {sum(p.rows_read for p in long[:1]):,} rows. {args.rows // 20:,} customers; ~1 % row defects and ~1 % corrected
  re-sends of the previous day's transactions. Both histories end on the same date with the same last
  day and receive **the same new files** (byte for byte): the incremental day (its own rows + corrected re-sends
  of ~1 % of the last day's rows: same transaction, customer and date, amount changed) and a 1,000-row day.
  Generating (or copying the kept generated files) took {gen_seconds:.0f} s (not counted).

## Results

![run time against history size]({plot})

| history (days) | run | rows read | bronze_to_silver (s) | silver_to_gold (s) | total (s) | rows/s | read by Spark tasks (MiB) | Spark jobs | peak RSS JVM+Python (MiB) | load before / after |
|---------------:|-----|----------:|---------------------:|-------------------:|----------:|-------:|--------------------------:|-----------:|--------------------------:|--------------------:|
{rows}

- **Goal 1, incremental / full refresh wall time ({args.days} days): {incr.seconds / full.seconds:.3f}**
  ({incr.seconds:.1f} s vs {full.seconds:.1f} s) for {incr.rows_read / full.rows_read:.1%} of the rows;
  tiny day / full refresh: {tiny.seconds / full.seconds:.3f}.
- **Goal 2, history x{growth:.0f} ({args.days} -> {args.long_days} days), same new file:** incremental wall time
  x{incr_l.seconds / incr.seconds:.2f}, bytes read x{incr_l.bytes_read / max(incr.bytes_read, 1):.2f};
  tiny day wall time x{tiny_l.seconds / tiny.seconds:.2f}, bytes read x{tiny_l.bytes_read / max(tiny.bytes_read, 1):.2f}
  (the full refresh, for comparison: x{full_l.seconds / full.seconds:.2f} time, x{full_l.bytes_read / max(full.bytes_read, 1):.2f} bytes).
- **Goal 3, full refresh rows/s:** {full.rows_per_second:,.0f} ({args.days} days), {full_l.rows_per_second:,.0f} ({args.long_days} days).
- Full refresh: silver_to_gold ran in mode `{fm["mode"]}` over {fm["silver_rows_read"]:,} silver rows and
  {fm["customers_refreshed"]:,} customers.
- Incremental day {args.days + 1}: bronze_to_silver read only the new file; it rewrote
  {silver.get("partitions_rewritten", 0)} existing silver partition(s) (re-sent transactions of the previous day;
  {silver.get("rows_replaced", 0)} rows replaced by their later version) and wrote dates {silver.get("dates_written")}.
  silver_to_gold recomputed {im["dates_refreshed"]} date(s) from {im["silver_rows_read"]:,} silver rows and updated
  {im["customers_refreshed"]:,} customers from their running totals (totals {im.get("customer_totals")}).
- Before (issue 12, the same benchmark on 30 days, 2026-11-26 21:19 UTC, load 2.00 / 2.64): full refresh
  73.6 s (1,017,585 rows, 13,822 rows/s, 83 jobs), incremental day 25.6 s (94 jobs; **ratio 0.35**), tiny day
  13.3 s (72 jobs). Its incremental run probed all of silver's ids twice, read the touched customers' whole
  history, and counted every gold write with an extra job; bytes were not measured.
- Bytes are what Spark's tasks read (task input metrics in Spark's event log: CSV, Parquet, Delta
  checkpoints). Driver-side reads - the pipeline's JSON control records, CSV headers, Delta's JSON log - are
  small and not counted.
- Peak RSS is the whole local Spark JVM (driver and executors share it in local mode) plus the Python
  driver; on the cluster the same work is spread over the workers.
"""


def draw(runs: dict[int, list[Phase]], path: Path) -> None:
    """Run time against history size, one line per run kind (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    days = sorted(runs)
    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    for i, label in enumerate(("full refresh", "incremental day", "tiny day (1,000 rows)")):
        seconds = [runs[d][i].seconds for d in days]
        ax.plot(days, seconds, marker="o", label=label)
        for d, sec in zip(days, seconds, strict=True):
            ax.annotate(f"{sec:.1f} s", (d, sec), textcoords="offset points", xytext=(6, 4))
    ax.set_xlabel("history (days of transactions in silver)")
    ax.set_ylabel("wall time, bronze_to_silver + silver_to_gold (s)")
    ax.set_xticks(days)
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend()
    ax.set_title("make bench-pipeline: run time against history size")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def prepare(args, root: Path) -> tuple[dict[int, Path], float]:
    """Fresh lakes (bronze only) for this run, from generated data kept between runs.

    The generator is pure Python (about a minute per million rows on this machine), so its
    output is kept in ``<root>/data-<rows>-<days>-<long days>`` and copied (modification times
    included) into each run's lakes.
    """
    data = root / f"data-v2-{args.rows}-{args.days}-{args.long_days}"
    done = data / "complete"
    t0 = time.perf_counter()
    if not done.exists():
        shutil.rmtree(data, ignore_errors=True)
        generate(args, data)
        done.touch()
    lakes = {}
    for days in (args.days, args.long_days):
        lake = root / f"{days}d"
        shutil.rmtree(lake, ignore_errors=True)
        shutil.copytree(data / f"{days}d", lake)
        lakes[days] = lake
    return lakes, time.perf_counter() - t0


def generate(args, root: Path) -> None:
    """One lake per history size, both ending on the same date, with the same new files."""
    per_day = rows_per_day(args.rows, args.days)
    lakes = {}
    for days in (args.days, args.long_days):
        lake = root / f"{days}d"
        lake.mkdir(parents=True)
        config = GeneratorConfig(
            start_date=END - timedelta(days=days - 1),
            days=days,
            rows_per_day=per_day,
            customers=max(200, args.rows // 20),
            defect_rate=0.01,
            duplicate_rate=0.01,
        )
        SampleData(config).generate(lake)
        lakes[days] = lake
    # The new files: the day after END (own rows + re-sends of END's rows) and a tiny day.
    config = GeneratorConfig(
        start_date=END,
        days=2,
        rows_per_day=per_day,
        customers=max(200, args.rows // 20),
        defect_rate=0.01,
        duplicate_rate=0.01,
    )
    new = root / "new"
    landed = SampleData(config).generate(new)
    # END's file too, so the incremental day's re-sends correct the very rows both histories hold
    # (same customer and date, amount changed) - as real corrections do.
    shared = [new / f.path for f in landed if f.dataset == "transactions"]
    shared.append(
        new / SampleData(config).late_file(new, TINY_DAY, TINY_DAY + timedelta(days=1), 1000).path
    )
    for lake in lakes.values():
        for f in shared:
            shutil.copy2(f, lake / "bronze" / "transactions" / f.name)


END = date(2026, 10, 30)  # last day of history
INCREMENTAL_DAY = END + timedelta(days=1)
TINY_DAY = END + timedelta(days=2)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows over --days days")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--long-days", type=int, default=90, help="the longer history")
    parser.add_argument("--lake", required=True)
    parser.add_argument("--report", help="write the Markdown report here")
    parser.add_argument("--plot", help="write the PNG plot here (default: next to --report)")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--shuffle-partitions", type=int, default=8)
    parser.add_argument("--driver-memory", default="8g")
    args = parser.parse_args(argv)

    root = Path(args.lake).resolve()
    root.mkdir(parents=True, exist_ok=True)
    lakes, gen_seconds = prepare(args, root)
    print(f"prepared {len(lakes)} lakes in {gen_seconds:.0f} s")
    events = root / "spark-events"
    shutil.rmtree(events, ignore_errors=True)
    events.mkdir()

    spark = build_local_spark(
        "bench-pipeline",
        cores=args.cores,
        shuffle_partitions=args.shuffle_partitions,
        driver_memory=args.driver_memory,
        extra_conf={"spark.eventLog.enabled": "true", "spark.eventLog.dir": events.as_uri()},
    )
    runs: dict[int, list[Phase]] = {}
    try:
        pids = [int(spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()), os.getpid()]
        metrics = InputMetrics(spark, events)
        for days, lake in lakes.items():
            runs[days] = [
                run_phase(spark, metrics, days, "full refresh", lake, landing_time(END).date(), pids),
                run_phase(
                    spark, metrics, days, f"incremental day {INCREMENTAL_DAY:%m-%d}", lake,
                    landing_time(INCREMENTAL_DAY).date(), pids,
                ),
                run_phase(
                    spark, metrics, days, "tiny day (1,000 rows)", lake,
                    TINY_DAY + timedelta(days=1), pids,
                ),
            ]  # fmt: skip
    finally:
        spark.stop()

    report_path = Path(args.report) if args.report else None
    plot = Path(args.plot) if args.plot else (report_path or root / "x").with_suffix(".png")
    draw(runs, plot)
    link = plot.name if report_path and plot.parent == report_path.parent else str(plot)
    text = report(args, gen_seconds, runs, machine(), link)
    print(text)
    print(f"(python max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB)")
    if report_path:
        report_path.write_text(text)
        print(f"wrote {report_path} and {plot}")


if __name__ == "__main__":
    main()
