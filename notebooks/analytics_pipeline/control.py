"""Control and metrics records under ``silver/_pipeline/``: small JSON files, one per batch or run.

* ``processed_files/batch-<id>.json``  the bronze files a batch committed: the file-level
                                        watermark (``_index/upto-<id>.json`` consolidates their keys). A file is new when its (path, size, modification
                                        time) is in no record, so a re-uploaded file with the same name
                                        is processed again (its rows then win as "latest").
* ``silver_changes/batch-<id>.json``   change log: the transaction dates and customer ids whose
                                        silver rows changed in the batch. silver_to_gold recomputes
                                        exactly those gold rows.
* ``gold_watermark/batch-<id>.json``   written when silver_to_gold has applied every batch up to
                                        ``<id>``; the highest one is the watermark.
* ``run_metrics/<notebook>/<time>-<run>.json``  one per notebook run: the exit-status JSON plus
                                        timings (SUCCEEDED, NO_NEW_DATA or FAILED).

Each record is written once, atomically (temp file + rename through the Hadoop FileSystem), so a
crashed run leaves either the whole record or nothing - and no Spark job is needed to read or write
them. The pipeline assumes one run at a time per lake (the Data Factory pipeline runs with
concurrency 1); batch ids are allocated as 1 + the highest id on record.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable
from datetime import datetime

from pyspark.sql import SparkSession

from . import lakefs
from .lakefs import FileInfo
from .paths import SilverPaths, join

_BATCH_FILE = re.compile(r"^batch-(\d+)\.json$")


def _batch_file(batch_id: int) -> str:
    return f"batch-{batch_id:010d}.json"


def _batches(spark: SparkSession, directory: str) -> list[tuple[int, str]]:
    """(batch id, path) of the records in ``directory``, ascending."""
    out = []
    for f in lakefs.list_files(spark, directory, suffix=".json"):
        match = _BATCH_FILE.match(f.name)
        if match:
            out.append((int(match[1]), f.path))
    return sorted(out)


def _write_json(spark: SparkSession, path: str, record: dict) -> None:
    lakefs.write_text(spark, path, json.dumps(record, sort_keys=True, indent=1, default=str))


def _read_json(spark: SparkSession, path: str) -> dict:
    return json.loads(lakefs.read_text(spark, path))


# -- processed files (file-level watermark) -----------------------------------------------------
# processed_files/_index/upto-<id>.json: the file keys of every batch up to <id>, written after each
# commit, so a run reads one index and the (usually no) records after it instead of every record.
_INDEX_FILE = re.compile(r"^upto-(\d+)\.json$")


def _index_dir(silver: SilverPaths) -> str:
    return join(silver.processed_files, "_index")


def _all_file_keys(spark: SparkSession, silver: SilverPaths) -> tuple[int, dict[str, set[tuple]]]:
    """(highest committed batch id, dataset -> {(path, size, modified_ms)}) of every commit."""
    indexes = sorted(
        (int(m[1]), f.path)
        for f in lakefs.list_files(spark, _index_dir(silver), suffix=".json")
        if (m := _INDEX_FILE.match(f.name))
    )
    upto, keys = -1, {}
    if indexes:
        upto, path = indexes[-1]
        keys = {ds: {tuple(k) for k in v} for ds, v in _read_json(spark, path)["files"].items()}
    highest = upto
    for batch_id, path in _batches(spark, silver.processed_files):
        if batch_id > upto:
            highest = batch_id
            for f in _read_json(spark, path)["files"]:
                keys.setdefault(f["dataset"], set()).add((f["path"], f["size"], f["modified_ms"]))
    return highest, keys


def processed_file_keys(spark: SparkSession, silver: SilverPaths, dataset: str) -> set[tuple]:
    return _all_file_keys(spark, silver)[1].get(dataset, set())


def _write_index(spark: SparkSession, silver: SilverPaths) -> None:
    """Consolidate the file keys up to the newest commit; older indexes are deleted."""
    highest, keys = _all_file_keys(spark, silver)
    path = join(_index_dir(silver), f"upto-{highest:010d}.json")
    lakefs.delete(spark, path)
    _write_json(spark, path, {"files": {ds: sorted(v) for ds, v in keys.items()}})
    for f in lakefs.list_files(spark, _index_dir(silver), suffix=".json"):
        match = _INDEX_FILE.match(f.name)
        if match and int(match[1]) < highest:
            lakefs.delete(spark, f.path)


def new_files(
    spark: SparkSession, silver: SilverPaths, dataset: str, files: Iterable[FileInfo]
) -> list[FileInfo]:
    """``files`` minus those already committed in ``processed_files``."""
    done = processed_file_keys(spark, silver, dataset)
    return [f for f in files if (f.key, f.size, f.modified_ms) not in done]


def record_processed_files(
    spark: SparkSession,
    silver: SilverPaths,
    batch_id: int,
    pipeline_run_id: str,
    processed_at: datetime,
    files: list[dict],
    superseded: list[dict] | None = None,
) -> None:
    """Commit point of a bronze_to_silver batch: after this its files are never read again.

    ``files``: one entry per file with its accounting (``rows_read`` = ``rows_valid`` +
    ``rows_quarantined``, ``rejected_by_reason``). ``superseded``: ``{dataset, path, modified_ms, rows}`` - rows
    of (usually earlier) files that this batch removed from silver because a later version of the
    same key won. See :func:`file_accounting`.
    """
    record = {
        "batch_id": batch_id,
        "pipeline_run_id": pipeline_run_id,
        "processed_at": processed_at.isoformat(),
        "files": files,
        "superseded": superseded or [],
    }
    _write_json(spark, join(silver.processed_files, _batch_file(batch_id)), record)
    # Committed above; the index only saves the next run reads, which fall back to the records.
    with contextlib.suppress(Exception):
        _write_index(spark, silver)


def committed_batch_ids(spark: SparkSession, silver: SilverPaths) -> set[int]:
    """Ids of the batches whose processed-files record exists (committed), from one listing."""
    return {batch_id for batch_id, _ in _batches(spark, silver.processed_files)}


def processed_files(spark: SparkSession, silver: SilverPaths) -> list[dict]:
    """Every committed file entry, with its batch id (for inspection and tests)."""
    out = []
    for batch_id, path in _batches(spark, silver.processed_files):
        out.extend({**f, "batch_id": batch_id} for f in _read_json(spark, path)["files"])
    return out


def file_accounting(spark: SparkSession, silver: SilverPaths) -> dict[tuple[str, str, int], dict]:
    """Per (dataset, file path, modification ms) - one upload of a file: rows_read / rows_valid / rows_quarantined at commit, plus
    ``rows_superseded`` summed over every later batch. Where each record is now:
    rows_valid - rows_superseded of them are in silver, rows_quarantined in the quarantine."""
    out: dict[tuple[str, str, int], dict] = {}
    records = [_read_json(spark, path) for _, path in _batches(spark, silver.processed_files)]
    for record in records:
        for f in record["files"]:
            key = (f["dataset"], f["path"], f["modified_ms"])
            counts = {k: f.get(k, 0) for k in ("rows_read", "rows_valid", "rows_quarantined")}
            out[key] = {**counts, "rows_superseded": 0}
    for record in records:
        for s in record.get("superseded", []):
            key = (s["dataset"], s["path"], s["modified_ms"])
            out.setdefault(key, {"rows_superseded": 0})["rows_superseded"] += s["rows"]
    return out


# -- change log ---------------------------------------------------------------------------------
def next_batch_id(spark: SparkSession, silver: SilverPaths) -> int:
    """1 + the highest batch id in the change log or the processed files (0 for the first)."""
    ids = [b for d in (silver.changes, silver.processed_files) for b, _ in _batches(spark, d)]
    return max(ids, default=-1) + 1


def record_changes(
    spark: SparkSession,
    silver: SilverPaths,
    batch_id: int,
    pipeline_run_id: str,
    transaction_dates: Iterable[str],
    customer_ids: Iterable[str],
) -> None:
    """Write the batch's change record (rewritten if a crashed attempt left one behind)."""
    path = join(silver.changes, _batch_file(batch_id))
    lakefs.delete(spark, path)
    _write_json(
        spark,
        path,
        {
            "batch_id": batch_id,
            "pipeline_run_id": pipeline_run_id,
            "transaction_dates": sorted(set(transaction_dates)),
            "customer_ids": sorted(set(customer_ids)),
        },
    )


def pending_changes(spark: SparkSession, silver: SilverPaths) -> tuple[list[dict], int, int]:
    """(change records after the gold watermark, watermark, highest batch id in the log)."""
    watermark = gold_watermark(spark, silver)
    batches = _batches(spark, silver.changes)
    pending = [_read_json(spark, path) for batch_id, path in batches if batch_id > watermark]
    highest = max((b for b, _ in batches), default=-1)
    return pending, watermark, max(highest, watermark)


def gold_watermark(spark: SparkSession, silver: SilverPaths) -> int:
    return max((b for b, _ in _batches(spark, silver.gold_watermark)), default=-1)


def advance_gold_watermark(
    spark: SparkSession, silver: SilverPaths, batch_id: int, pipeline_run_id: str, now: datetime
) -> None:
    path = join(silver.gold_watermark, _batch_file(batch_id))
    lakefs.delete(spark, path)
    _write_json(
        spark,
        path,
        {"batch_id": batch_id, "pipeline_run_id": pipeline_run_id, "updated_at": now.isoformat()},
    )


# -- run metrics ----------------------------------------------------------------------------------
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def record_run(
    spark: SparkSession,
    silver: SilverPaths,
    status: dict,
    *,
    started_at: datetime,
    finished_at: datetime,
    batch_id: int | None,
) -> str:
    """Write the run's metrics record (the exit-status JSON plus timings); returns its path."""
    record = {
        **status,
        "batch_id": batch_id,
        "run_started_at": started_at.isoformat(),
        "run_finished_at": finished_at.isoformat(),
        "duration_seconds": round((finished_at - started_at).total_seconds(), 3),
    }
    name = f"{started_at:%Y%m%dT%H%M%S%fZ}-{_UNSAFE.sub('_', status['pipeline_run_id'])[:80]}.json"
    path = join(silver.run_metrics, status["notebook"], name)
    lakefs.delete(spark, path)
    _write_json(spark, path, record)
    return path


def run_records(spark: SparkSession, silver: SilverPaths, notebook: str) -> list[dict]:
    """All metrics records of ``notebook``, oldest first."""
    directory = join(silver.run_metrics, notebook)
    return [_read_json(spark, f.path) for f in lakefs.list_files(spark, directory, suffix=".json")]
