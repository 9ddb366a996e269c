"""The notebooks' exit status: the JSON that ``dbutils.notebook.exit`` returns.

Data Factory reads it as the activity's ``runOutput`` and a Log Analytics data-quality alert parses
it, so the key names are a contract:

    {"status": "SUCCEEDED" | "NO_NEW_DATA" | "FAILED",
     "notebook": "bronze_to_silver" | "silver_to_gold",
     "pipeline_run_id": "...",
     "metrics": {...}}            # bronze_to_silver: files_processed, rows_read, rows_valid,
                                  # rows_quarantined, rejected_by_reason {reason: count},
                                  # quality_rate (percent 0-100)

A failed run never *returns* ``FAILED`` through ``dbutils.notebook.exit`` - that would make the ADF
activity succeed. It writes the FAILED record to ``silver/_pipeline/run_metrics`` and raises, with
the same JSON in the exception message.
"""

from __future__ import annotations

import json

SUCCEEDED = "SUCCEEDED"
NO_NEW_DATA = "NO_NEW_DATA"
FAILED = "FAILED"
STATUSES = (SUCCEEDED, NO_NEW_DATA, FAILED)

REQUIRED_KEYS = ("status", "notebook", "pipeline_run_id", "metrics")
BRONZE_TO_SILVER_METRIC_KEYS = (
    "files_processed",
    "rows_read",
    "rows_valid",
    "rows_quarantined",
    "rejected_by_reason",
    "quality_rate",
)


def build_status(
    status: str,
    *,
    notebook: str,
    pipeline_run_id: str,
    metrics: dict,
    ingestion_date: str | None = None,
    error: str | None = None,
) -> dict:
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    out = {
        "status": status,
        "notebook": notebook,
        "pipeline_run_id": pipeline_run_id,
        "ingestion_date": ingestion_date,
        "metrics": metrics,
    }
    if error is not None:
        out["error"] = error
    return out


def failed_status(error: str, **kwargs) -> dict:
    return build_status(FAILED, error=error, **kwargs)


def to_json(status: dict) -> str:
    """Compact, stable JSON for ``dbutils.notebook.exit``."""
    return json.dumps(status, sort_keys=True, separators=(",", ":"), default=str)


class PipelineRunError(RuntimeError):
    """A run that must fail the notebook (and the ADF activity); carries the FAILED status."""

    def __init__(self, status: dict):
        self.status = status
        super().__init__(f"{status.get('error', 'pipeline run failed')} | status={to_json(status)}")


class QualityThresholdError(PipelineRunError):
    """The quality rate of a bronze_to_silver run is below its ``quality_threshold``."""
