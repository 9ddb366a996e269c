"""Fixtures for the Synapse SQL checks: the scripts rendered for the committed sample stack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sqlkit.render import Rendered, render

HERE = Path(__file__).resolve().parent
SAMPLE_OUTPUTS = HERE / "sample-outputs.dev.json"


@pytest.fixture(scope="session")
def sample_outputs() -> dict:
    return json.loads(SAMPLE_OUTPUTS.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def rendered(sample_outputs) -> dict[str, Rendered]:
    """Script name -> the script as it would run against the sample stack."""
    return {r.script.name: r for r in render(sample_outputs)}


@pytest.fixture(scope="session")
def partitioned_contract():
    """The gold contract with daily_sales_summary partitioned by transaction_date."""
    from dataclasses import replace

    from analytics_pipeline.contract import load_contract

    contract = load_contract()
    tables = dict(contract.tables)
    tables["daily_sales_summary"] = replace(
        tables["daily_sales_summary"], partition_columns=("transaction_date",)
    )
    return replace(contract, tables=tables)
