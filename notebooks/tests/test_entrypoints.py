"""Widget parsing and lake paths (no Spark needed)."""

from __future__ import annotations

from datetime import date

import pytest

from analytics_pipeline.entrypoints import (
    ParameterError,
    parse_catalog,
    parse_ingestion_date,
    parse_quality_threshold,
    pipeline_run_id_or_manual,
)
from analytics_pipeline.paths import SilverPaths, container_root
from analytics_pipeline.tables import GoldTables


def test_abfss_roots_from_account_and_container():
    assert (
        container_root("cadevlake01", "bronze") == "abfss://bronze@cadevlake01.dfs.core.windows.net"
    )
    assert (
        container_root(" cadevlake01 ", "gold") == "abfss://gold@cadevlake01.dfs.core.windows.net"
    )


def test_local_folder_stands_in_for_the_account():
    assert container_root("/tmp/lake/", "silver") == "/tmp/lake/silver"
    assert container_root("file:/tmp/lake", "silver") == "file:/tmp/lake/silver"


@pytest.mark.parametrize(
    ("account", "container"),
    [("CA-Dev", "bronze"), ("ab", "bronze"), ("cadevlake01", "Bronze"), ("cadevlake01", "a--b")],
)
def test_invalid_names_are_rejected(account, container):
    with pytest.raises(ValueError, match="invalid"):
        container_root(account, container)


def test_silver_layout():
    silver = SilverPaths("abfss://silver@acct.dfs.core.windows.net")
    assert silver.transactions.endswith("/transactions")
    assert silver.quarantine("transactions").endswith("/quarantine/transactions")
    assert silver.processed_files.endswith("/_pipeline/processed_files")
    assert silver.run_metrics.endswith("/_pipeline/run_metrics")


def test_ingestion_date():
    assert parse_ingestion_date("") is None
    assert parse_ingestion_date("  ") is None
    assert parse_ingestion_date("2026-11-26") == date(2026, 11, 26)
    assert parse_ingestion_date("2026-11-26T02:00:00Z") == date(2026, 11, 26)  # ADF timestamps
    for bad in ("26/11/2026", "2026-11-31", "yesterday"):
        with pytest.raises(ParameterError):
            parse_ingestion_date(bad)


def test_quality_threshold():
    assert parse_quality_threshold("95") == 95.0
    assert parse_quality_threshold("99.5") == 99.5
    assert parse_quality_threshold("0") == 0.0
    for bad in ("high", "-1", "100.1"):
        with pytest.raises(ParameterError):
            parse_quality_threshold(bad)


def test_manual_runs_get_a_run_id():
    assert pipeline_run_id_or_manual("adf-123") == "adf-123"
    assert pipeline_run_id_or_manual("").startswith("manual-")


def test_catalog_widget():
    assert parse_catalog("") == ""
    assert parse_catalog(" ca_dev ") == "ca_dev"
    for bad in ("ca-dev", "ca.gold", "1ca", "ca dev", "`ca`"):
        with pytest.raises(ParameterError, match="catalog"):
            parse_catalog(bad)


def test_gold_tables_by_path_without_a_catalog_and_by_name_with_one():
    root = "abfss://gold@acct.dfs.core.windows.net"
    by_path = GoldTables(root).table("store_performance")
    assert (by_path.path, by_path.name) == (f"{root}/store_performance", None)
    by_name = GoldTables(root, "ca_prod").table("store_performance")
    # the same path (what Synapse reads), registered under <catalog>.gold
    assert (by_name.path, by_name.name) == (
        f"{root}/store_performance",
        "ca_prod.gold.store_performance",
    )
