"""What the notebooks call: widget values (strings, as Data Factory passes them) -> a pipeline run.

The notebooks read their widgets into a dict and call :func:`bronze_to_silver_main` /
:func:`silver_to_gold_main`; ``make demo`` and the tests call the very same functions (or run the
notebook files themselves) with ``storage_account`` set to a local folder.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import date, datetime

from pyspark.sql import SparkSession

from . import bronze_to_silver, silver_to_gold
from .paths import container_root
from .tables import check_catalog

# Widget name -> default. Names are fixed: Data Factory passes them as baseParameters.
# ``catalog``: the Unity Catalog catalog of the environment; empty = path mode (local runs). Both
# notebooks take it so the factory passes one parameter set; only gold has tables to name.
BRONZE_TO_SILVER_WIDGETS: dict[str, str] = {
    "storage_account": "",
    "catalog": "",
    "source_container": "bronze",
    "target_container": "silver",
    "pipeline_run_id": "",
    "ingestion_date": "",
    "quality_threshold": "95",
}
SILVER_TO_GOLD_WIDGETS: dict[str, str] = {
    "storage_account": "",
    "catalog": "",
    "source_container": "silver",
    "target_container": "gold",
    "pipeline_run_id": "",
    "ingestion_date": "",
}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ParameterError(ValueError):
    """A widget value the notebook cannot run with."""


def _value(params: Mapping[str, str], name: str, defaults: Mapping[str, str]) -> str:
    value = params.get(name)
    value = defaults[name] if value is None else str(value)
    return value.strip()


def parse_ingestion_date(value: str) -> date | None:
    """``""`` -> None; ``yyyy-MM-dd`` -> date; a Data Factory timestamp's date part is accepted."""
    value = value.strip()
    if not value:
        return None
    head = value[:10]
    if not _DATE.match(head):
        raise ParameterError(f"ingestion_date must be yyyy-MM-dd or empty, got {value!r}")
    try:
        return date.fromisoformat(head)
    except ValueError as exc:
        raise ParameterError(f"ingestion_date is not a valid date: {value!r}") from exc


def parse_quality_threshold(value: str) -> float:
    try:
        threshold = float(value)
    except ValueError as exc:
        raise ParameterError(
            f"quality_threshold must be a number (percent), got {value!r}"
        ) from exc
    if not 0 <= threshold <= 100:
        raise ParameterError(f"quality_threshold must be between 0 and 100, got {threshold}")
    return threshold


def pipeline_run_id_or_manual(value: str) -> str:
    """The ADF run id; a manual run (empty widget) gets ``manual-<uuid>``."""
    return value or f"manual-{uuid.uuid4()}"


def _root(params: Mapping[str, str], defaults: Mapping[str, str], which: str) -> str:
    account = _value(params, "storage_account", defaults)
    if not account:
        raise ParameterError("storage_account is required")
    try:
        return container_root(account, _value(params, which, defaults))
    except ValueError as exc:
        raise ParameterError(str(exc)) from exc


def parse_catalog(value: str) -> str:
    try:
        return check_catalog(value)
    except ValueError as exc:
        raise ParameterError(str(exc)) from exc


def bronze_to_silver_main(
    spark: SparkSession, params: Mapping[str, str], *, now: datetime | None = None
) -> dict:
    d = BRONZE_TO_SILVER_WIDGETS
    parse_catalog(_value(params, "catalog", d))  # silver is files under an external location
    return bronze_to_silver.run(
        spark,
        bronze_root=_root(params, d, "source_container"),
        silver_root=_root(params, d, "target_container"),
        pipeline_run_id=pipeline_run_id_or_manual(_value(params, "pipeline_run_id", d)),
        ingestion_date=parse_ingestion_date(_value(params, "ingestion_date", d)),
        quality_threshold=parse_quality_threshold(_value(params, "quality_threshold", d)),
        now=now,
    )


def silver_to_gold_main(
    spark: SparkSession,
    params: Mapping[str, str],
    *,
    full_refresh: bool = False,
    now: datetime | None = None,
) -> dict:
    d = SILVER_TO_GOLD_WIDGETS
    return silver_to_gold.run(
        spark,
        silver_root=_root(params, d, "source_container"),
        gold_root=_root(params, d, "target_container"),
        pipeline_run_id=pipeline_run_id_or_manual(_value(params, "pipeline_run_id", d)),
        ingestion_date=parse_ingestion_date(_value(params, "ingestion_date", d)),
        full_refresh=full_refresh,
        now=now,
        catalog=parse_catalog(_value(params, "catalog", d)),
    )
