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

from sqlkit.spark_views import install_views, register_gold, view_result
from sqlkit.views import VIEWS_SCRIPT, analyst_views
from tools.lake import land_fixture
from tools.run_notebook import run_notebook

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
FIXTURE_FILES = [
    "customers_2026-11-01.csv",
    "transactions_2026-11-01.csv",
    "transactions_2026-11-02.csv",
    "transactions_2026-11-03.csv",
    "transactions_2026-11-01_late.csv",
]
NOV1, NOV3, WINDOW_START = date(2026, 11, 1), date(2026, 11, 3), date(2026, 10, 5)


@pytest.fixture(scope="module")
def pipeline_gold(spark, tmp_path_factory) -> Path:
    """Run bronze_to_silver and silver_to_gold (the notebook files) over the whole fixture."""
    lake = tmp_path_factory.mktemp("fixture-lake")
    land_fixture(lake, *FIXTURE_FILES)
    common = {"storage_account": str(lake), "pipeline_run_id": "synapse-views"}
    # The fixture is built to hold one rejected row per defect; its quality rate is below the
    # production default (95 %), as in the notebook tests.
    b2s = run_notebook(
        NOTEBOOKS / "bronze_to_silver.py", spark, {**common, "quality_threshold": "50"}
    )
    s2g = run_notebook(NOTEBOOKS / "silver_to_gold.py", spark, common)
    assert json.loads(b2s)["status"] == "SUCCEEDED", b2s
    assert json.loads(s2g)["status"] == "SUCCEEDED", s2g
    return lake / "gold"


@pytest.fixture
def views_on_pipeline_gold(spark, pipeline_gold):
    register_gold(spark, pipeline_gold)

    def run(name: str, tsql: str | None = None):
        install_views(spark, tsql)
        return view_result(spark, name)

    return run


COLUMNS = {
    "gold.vw_top_categories_last_30_days": [
        "revenue_rank",
        "product_category",
        "total_revenue",
        "total_units",
        "total_transactions",
        "active_days",
        "avg_unit_price",
        "revenue_share_pct",
        "window_start_date",
        "window_end_date",
    ],
    "gold.vw_high_value_customers": [
        "spend_rank",
        "customer_id",
        "city",
        "signup_date",
        "total_spend",
        "transaction_count",
        "total_units",
        "avg_transaction_value",
        "first_purchase_date",
        "last_purchase_date",
        "days_since_last_purchase",
    ],
    "gold.vw_monthly_revenue_trend": [
        "month_start",
        "sales_year",
        "sales_month",
        "active_days",
        "total_revenue",
        "total_transactions",
        "total_units",
        "avg_transaction_value",
        "avg_daily_revenue",
        "previous_month_revenue",
        "revenue_growth_pct",
    ],
    "gold.vw_store_comparison": [
        "revenue_rank",
        "store_location",
        "total_revenue",
        "total_transactions",
        "total_units",
        "active_days",
        "first_sale_date",
        "last_sale_date",
        "avg_transaction_value",
        "avg_daily_revenue",
        "revenue_share_pct",
    ],
    "gold.vw_executive_dashboard": [
        "as_of_date",
        "revenue_last_30_days",
        "transactions_last_30_days",
        "avg_transaction_value_last_30_days",
        "revenue_previous_30_days",
        "revenue_growth_pct",
        "revenue_all_time",
        "transactions_all_time",
        "customers_all_time",
        "high_value_customers",
        "high_value_spend_share_pct",
        "top_category_last_30_days",
        "top_store_all_time",
    ],
}

EXPECTED = {
    # Electronics 1000.00 + 250.00; Books 20.00 + 15.00 (3 units); Toys 30.00 (2 units);
    # Grocery 12.60 + 3.90 + 7.50 + 5.00 = 29.00 over 7 units -> 4.14 (the stored daily prices
    # 4.13, 3.75, 5.00 would average 4.29). Shares of 1344.00: 93.006, 2.604, 2.232, 2.158.
    "gold.vw_top_categories_last_30_days": [
        (1, "Electronics", D("1250.00"), 2, 2, 2, D("625.00"), D("93.01"), WINDOW_START, NOV3),
        (2, "Books", D("35.00"), 3, 2, 1, D("11.67"), D("2.60"), WINDOW_START, NOV3),
        (3, "Toys", D("30.00"), 2, 1, 1, D("15.00"), D("2.23"), WINDOW_START, NOV3),
        (4, "Grocery", D("29.00"), 7, 4, 3, D("4.14"), D("2.16"), WINDOW_START, NOV3),
    ],
    # Only C001 reaches 1000.00 (after the late correction); last bought 2 days before as_of.
    "gold.vw_high_value_customers": [
        (1, "C001", "Seattle", date(2024, 5, 1), D("1000.00"), 1, 1, D("1000.00"), NOV1, NOV1, 2),
    ],
    # 1344.00 / 9 = 149.333 -> 149.33 per transaction; / 3 days = 448.00; no October.
    "gold.vw_monthly_revenue_trend": [
        (NOV1, 2026, 11, 3, D("1344.00"), 9, 14, D("149.33"), D("448.00"), None, None),
    ],
    # Seattle 1012.60 + 250.00 + 5.00 over 4 transactions and 3 days; Portland 38.90 + 7.50 over
    # 4 transactions and 2 days; Denver 30.00. Shares of 1344.00: 94.315, 3.452, 2.232.
    "gold.vw_store_comparison": [
        (1, "Seattle", D("1267.60"), 4, 6, 3, NOV1, NOV3, D("316.90"), D("422.53"), D("94.32")),
        (
            2,
            "Portland",
            D("46.40"),
            4,
            6,
            2,
            NOV1,
            date(2026, 11, 2),
            D("11.60"),
            D("23.20"),
            D("3.45"),
        ),
        (3, "Denver", D("30.00"), 1, 2, 1, NOV3, NOV3, D("30.00"), D("30.00"), D("2.23")),
    ],
    # Nothing in the 30 days before the window: growth has no base (NULL, not a division by 0).
    # Five customers; C001's 1000.00 is 74.40 % of all spend (1344.00).
    "gold.vw_executive_dashboard": [
        (
            NOV3,
            D("1344.00"),
            9,
            D("149.33"),
            D("0.00"),
            None,
            D("1344.00"),
            9,
            5,
            1,
            D("74.40"),
            "Electronics",
            "Seattle",
        ),
    ],
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_view_rows_over_the_pipelines_gold(views_on_pipeline_gold, name):
    columns, rows = views_on_pipeline_gold(name)
    assert columns == COLUMNS[name]
    assert rows == EXPECTED[name]


def test_every_view_is_checked():
    assert [v.name for v in analyst_views()] == list(EXPECTED) == list(COLUMNS)


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
    assert rows != EXPECTED[name]
