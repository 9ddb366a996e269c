"""The analyst views over the gold the local pipeline writes from the fixed fixture.

The fixture (notebooks/testdata) lands in a temporary lake with its landing times; the two notebook
files run on the shared local SparkSession exactly as Data Factory runs them (one batch; the
notebook tests show one batch and day-by-day runs give the same gold). The gold Delta tables are
registered as gold.<table>, the T-SQL views are transpiled by sqlglot and created on top, and
every row is compared with values worked out by hand from the fixture files:

    valid transactions after dedupe, late correction (T001 -> 1000.00) and re-send (T004 -> 3.90)
    2026-11-01  T001 C001 Electronics 1 x 1000.00 Seattle   T002 C002 Grocery 3 x 12.60 Seattle
                T003 C002 Books 2 x 20.00 Portland          T004 C003 Grocery 1 x 3.90 Portland
                T013 C003 Books 1 x 15.00 Portland
    2026-11-02  T008 C004 Electronics 1 x 250.00 Seattle    T011 C002 Grocery 2 x 7.50 Portland
    2026-11-03  T014 C002 Grocery 1 x 5.00 Seattle          T015 C005 Toys 2 x 30.00 Denver
    total 1344.00 over 9 transactions and 14 units; as_of_date 2026-11-03, window from 2026-10-05.

A second part applies plausible aggregation mistakes to the T-SQL and checks each one changes the
rows, so such a mistake fails `make test` before an analyst sees it.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from sqlkit.spark_views import ORDER, install_views, register_gold, view_result
from sqlkit.views import VIEWS_SCRIPT, analyst_views


@pytest.fixture(scope="module")
def pipeline_gold(fixture_lake_one_batch) -> Path:
    """bronze_to_silver and silver_to_gold (the notebook files) run over the whole fixture in one
    batch (the repo-root conftest.py, shared with the notebook tests)."""
    b2s, s2g = fixture_lake_one_batch["b2s"], fixture_lake_one_batch["s2g"]
    assert b2s["status"] == "SUCCEEDED", b2s
    assert s2g["status"] == "SUCCEEDED", s2g
    return fixture_lake_one_batch["lake"] / "gold"


@pytest.fixture
def views_on_pipeline_gold(spark, pipeline_gold):
    register_gold(spark, pipeline_gold)

    def run(name: str, tsql: str | None = None):
        install_views(spark, tsql)
        return view_result(spark, name)

    return run


# The expected rows live in one file that the e2e workflow compares Synapse's answers with too
# (.github/scripts/e2e.sh views): decimals and dates as text, null as NULL. The hand computations:
#   top categories: Electronics 1000.00 + 250.00; Books 20.00 + 15.00 (3 units); Toys 30.00 (2 units);
#     Grocery 12.60 + 3.90 + 7.50 + 5.00 = 29.00 over 7 units -> 4.14 (the stored daily prices 4.13,
#     3.75, 5.00 would average 4.29). Shares of 1344.00: 93.006, 2.604, 2.232, 2.158.
#   high-value customers: only C001 reaches 1000.00 (after the late correction); last bought 2 days
#     before as_of.
#   monthly trend: 1344.00 / 9 = 149.333 -> 149.33 per transaction; / 3 days = 448.00; no October.
#   store comparison: Seattle 1012.60 + 250.00 + 5.00 over 4 transactions and 3 days; Portland 38.90 +
#     7.50 over 4 transactions and 2 days; Denver 30.00. Shares of 1344.00: 94.315, 3.452, 2.232.
#   executive dashboard: nothing in the 30 days before the window, so growth has no base (NULL, not
#     a division by 0); five customers; C001's 1000.00 is 74.40 % of all spend (1344.00).
EXPECTED_FILE = Path(__file__).resolve().parent / "expected-view-rows.json"
EXPECTED_VIEWS = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))["views"]
COLUMNS = {name: view["columns"] for name, view in EXPECTED_VIEWS.items()}
EXPECTED = {name: [tuple(row) for row in view["rows"]] for name, view in EXPECTED_VIEWS.items()}


def as_text(row: tuple) -> tuple:
    """A Spark row as the expected-rows file writes it: decimals and dates as text."""
    return tuple(str(v) if isinstance(v, (D, date)) else v for v in row)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_view_rows_over_the_pipelines_gold(views_on_pipeline_gold, name):
    columns, rows = views_on_pipeline_gold(name)
    assert columns == COLUMNS[name]
    assert [as_text(row) for row in rows] == EXPECTED[name]


def test_every_view_is_checked():
    assert [v.name for v in analyst_views()] == list(EXPECTED) == list(COLUMNS)


def test_the_expected_rows_are_ordered_as_the_views_are_compared():
    # Synapse (e2e) and Spark (here) must sort the rows the same way before comparing them.
    assert {name: view["order_by"] for name, view in EXPECTED_VIEWS.items()} == ORDER


# Plausible aggregation mistakes: each one must change the rows above.
MISTAKES = [
    (
        "transactions counted as store-days",
        "gold.vw_store_comparison",
        [("SUM(s.total_transactions) AS total_transactions", "COUNT(*) AS total_transactions")],
    ),
    (
        "unit price averaged over the stored daily prices",
        "gold.vw_top_categories_last_30_days",
        [
            (
                "SUM(p.total_units) AS total_units,",
                "SUM(p.total_units) AS total_units,\n        AVG(p.avg_unit_price) AS stored_price,",
            ),
            ("ROUND(c.total_revenue / NULLIF(c.total_units, 0), 2)", "ROUND(c.stored_price, 2)"),
        ],
    ),
    (
        "monthly value per transaction averaged over daily averages",
        "gold.vw_monthly_revenue_trend",
        [
            (
                "SUM(d.total_units) AS total_units,",
                "SUM(d.total_units) AS total_units,\n        AVG(d.avg_transaction_value) AS daily_avg,",
            ),
            (
                "ROUND(m.total_revenue / NULLIF(m.total_transactions, 0), 2)",
                "ROUND(m.daily_avg, 2)",
            ),
        ],
    ),
    (
        "customers summed over the daily distinct counts",
        "gold.vw_executive_dashboard",
        [
            (
                "SUM(d.total_transactions) AS transactions_all_time",
                "SUM(d.total_transactions) AS transactions_all_time,\n"
                "        SUM(d.unique_customers) AS customer_days",
            ),
            ("c.customers_all_time,", "s.customer_days AS customers_all_time,"),
        ],
    ),
    (
        "high value taken as not low",
        "gold.vw_high_value_customers",
        [("WHERE c.customer_segment = 'HIGH';", "WHERE c.customer_segment <> 'LOW';")],
    ),
]


@pytest.mark.parametrize(("mistake", "name", "edits"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_wrong_aggregation_fails(views_on_pipeline_gold, mistake, name, edits):
    tsql = VIEWS_SCRIPT.read_text(encoding="utf-8")
    for old, new in edits:
        assert tsql.count(old) == 1, f"{mistake}: {old!r} not found once in the views"
        tsql = tsql.replace(old, new)
    columns, rows = views_on_pipeline_gold(name, tsql)
    assert columns == COLUMNS[name]
    assert [as_text(row) for row in rows] != EXPECTED[name]
