"""The analyst views' date logic, which the three-day pipeline fixture cannot reach: the 30-day
windows' edges, calendar months with gaps, ranking ties. Runs the views (T-SQL transpiled by
sqlglot) on Spark over small hand-made gold tables; every expected value is worked out by hand
below. The views over the pipeline's own gold are in test_synapse_views_pipeline.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from sqlkit.spark_views import install_views, register_gold, view_result, write_gold
from sqlkit.views import VIEWS_SCRIPT

# as_of_date = 2026-11-15. Last 30 days: 10-17..11-15. Previous 30 days: 09-17..10-16.
DAILY = [
    # date, revenue, transactions, units
    (date(2026, 7, 20), "70.00", 2, 2),
    (date(2026, 9, 30), "100.00", 4, 5),  # previous window
    (date(2026, 10, 16), "200.00", 5, 6),  # previous window, its last day
    (date(2026, 10, 17), "300.00", 6, 7),  # last window, its first day
    (date(2026, 11, 15), "50.00", 2, 2),  # as_of_date
]
CATEGORIES = [
    # date, category, revenue, units, transactions
    (date(2026, 10, 16), "Alpha", "1000.00", 10, 5),  # one day before the window
    (date(2026, 10, 17), "Beta", "300.00", 3, 3),
    (date(2026, 11, 15), "Beta", "10.00", 1, 1),
    (date(2026, 11, 15), "Gamma", "40.00", 4, 2),
    (date(2026, 11, 15), "Delta", "40.00", 8, 1),  # ties with Gamma
]
STORES = [
    # date, store, revenue, transactions, units
    (date(2026, 9, 30), "South", "100.00", 4, 5),
    (date(2026, 10, 17), "North", "300.00", 6, 7),
    (date(2026, 11, 15), "South", "50.00", 2, 2),
]
CUSTOMERS = [
    # id, city, spend, transactions, units, first, last, segment
    ("K1", "Lyon", "1500.00", 3, 4, date(2026, 7, 20), date(2026, 10, 17), "HIGH"),
    ("K2", "Nice", "1500.00", 5, 9, date(2026, 9, 30), date(2026, 11, 15), "HIGH"),
    ("K3", None, "1000.00", 1, 1, date(2026, 9, 30), date(2026, 9, 30), "HIGH"),
    ("K4", "Lyon", "999.99", 2, 2, date(2026, 10, 16), date(2026, 10, 17), "MEDIUM"),
    ("K5", "Nice", "20.00", 1, 1, date(2026, 11, 15), date(2026, 11, 15), "LOW"),
]


def _money(text: str) -> D:
    return D(text)


@pytest.fixture(scope="module")
def synthetic_gold(spark, tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic-gold")
    write_gold(
        spark,
        root,
        "daily_sales_summary",
        [
            {
                "transaction_date": d,
                "total_revenue": _money(r),
                "total_transactions": t,
                "total_units": u,
                "unique_customers": 1,
                "avg_transaction_value": (_money(r) / t).quantize(D("0.01")),
            }
            for d, r, t, u in DAILY
        ],
    )
    write_gold(
        spark,
        root,
        "product_category_performance",
        [
            {
                "transaction_date": d,
                "product_category": c,
                "total_revenue": _money(r),
                "total_units": u,
                "total_transactions": t,
                "unique_customers": 1,
                "avg_unit_price": (_money(r) / u).quantize(D("0.01")),
            }
            for d, c, r, u, t in CATEGORIES
        ],
    )
    write_gold(
        spark,
        root,
        "store_performance",
        [
            {
                "transaction_date": d,
                "store_location": s,
                "total_revenue": _money(r),
                "total_transactions": t,
                "total_units": u,
                "unique_customers": 1,
                "avg_transaction_value": (_money(r) / t).quantize(D("0.01")),
            }
            for d, s, r, t, u in STORES
        ],
    )
    write_gold(
        spark,
        root,
        "customer_segmentation",
        [
            {
                "customer_id": k,
                "city": city,
                "signup_date": date(2025, 1, 1),
                "total_spend": _money(spend),
                "transaction_count": t,
                "total_units": u,
                "avg_transaction_value": (_money(spend) / t).quantize(D("0.01")),
                "first_purchase_date": first,
                "last_purchase_date": last,
                "customer_segment": segment,
            }
            for k, city, spend, t, u, first, last, segment in CUSTOMERS
        ],
    )
    return root


@pytest.fixture
def views_on_synthetic_gold(spark, synthetic_gold):
    """Gold points at the synthetic tables; returns a function that installs (possibly changed)
    view T-SQL and gives a view's (columns, rows)."""
    register_gold(spark, synthetic_gold)

    def run(name: str, tsql: str | None = None):
        install_views(spark, tsql)
        return view_result(spark, name)

    return run


EXPECTED = {
    # Beta 310.00 over 2 days; Gamma and Delta tie (RANK gives both 2); Alpha's 10-16 is out.
    # Shares of 390.00: 79.487 -> 79.49, 10.256 -> 10.26.
    "gold.vw_top_categories_last_30_days": [
        (
            1,
            "Beta",
            D("310.00"),
            4,
            4,
            2,
            D("77.50"),
            D("79.49"),
            date(2026, 10, 17),
            date(2026, 11, 15),
        ),
        (
            2,
            "Delta",
            D("40.00"),
            8,
            1,
            1,
            D("5.00"),
            D("10.26"),
            date(2026, 10, 17),
            date(2026, 11, 15),
        ),
        (
            2,
            "Gamma",
            D("40.00"),
            4,
            2,
            1,
            D("10.00"),
            D("10.26"),
            date(2026, 10, 17),
            date(2026, 11, 15),
        ),
    ],
    # K1 and K2 tie on spend (rank 1, 1, then 3); days since last purchase up to 11-15.
    "gold.vw_high_value_customers": [
        (
            1,
            "K1",
            "Lyon",
            date(2025, 1, 1),
            D("1500.00"),
            3,
            4,
            D("500.00"),
            date(2026, 7, 20),
            date(2026, 10, 17),
            29,
        ),
        (
            1,
            "K2",
            "Nice",
            date(2025, 1, 1),
            D("1500.00"),
            5,
            9,
            D("300.00"),
            date(2026, 9, 30),
            date(2026, 11, 15),
            0,
        ),
        (
            3,
            "K3",
            None,
            date(2025, 1, 1),
            D("1000.00"),
            1,
            1,
            D("1000.00"),
            date(2026, 9, 30),
            date(2026, 9, 30),
            46,
        ),
    ],
    # August has no sales: September's previous month is August (no row), not July.
    # October: 500.00 / 11 = 45.4545 -> 45.45; growth 400 %. November: -90 %.
    "gold.vw_monthly_revenue_trend": [
        (date(2026, 7, 1), 2026, 7, 1, D("70.00"), 2, 2, D("35.00"), D("70.00"), None, None),
        (date(2026, 9, 1), 2026, 9, 1, D("100.00"), 4, 5, D("25.00"), D("100.00"), None, None),
        (
            date(2026, 10, 1),
            2026,
            10,
            2,
            D("500.00"),
            11,
            13,
            D("45.45"),
            D("250.00"),
            D("100.00"),
            D("400.00"),
        ),
        (
            date(2026, 11, 1),
            2026,
            11,
            1,
            D("50.00"),
            2,
            2,
            D("25.00"),
            D("50.00"),
            D("500.00"),
            D("-90.00"),
        ),
    ],
    # All history. Shares of 450.00: 66.667 -> 66.67, 33.333 -> 33.33.
    "gold.vw_store_comparison": [
        (
            1,
            "North",
            D("300.00"),
            6,
            7,
            1,
            date(2026, 10, 17),
            date(2026, 10, 17),
            D("50.00"),
            D("300.00"),
            D("66.67"),
        ),
        (
            2,
            "South",
            D("150.00"),
            6,
            7,
            2,
            date(2026, 9, 30),
            date(2026, 11, 15),
            D("25.00"),
            D("75.00"),
            D("33.33"),
        ),
    ],
    # Last 30 days: 300.00 + 50.00 over 8 transactions = 43.75 each. Previous 30 days:
    # 100.00 + 200.00; growth 50 / 300 = 16.667 % -> 16.67. High-value spend 4000.00 of
    # 5019.99 = 79.681 % -> 79.68.
    "gold.vw_executive_dashboard": [
        (
            date(2026, 11, 15),
            D("350.00"),
            8,
            D("43.75"),
            D("300.00"),
            D("16.67"),
            D("720.00"),
            19,
            5,
            3,
            D("79.68"),
            "Beta",
            "North",
        ),
    ],
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_view_rows_over_hand_made_gold(views_on_synthetic_gold, name):
    _, rows = views_on_synthetic_gold(name)
    assert rows == EXPECTED[name]


# A plausible mistake in each piece of date logic; each must change the rows above.
MISTAKES = [
    (
        "window includes day 31",
        "gold.vw_top_categories_last_30_days",
        [("p.transaction_date > DATEADD(DAY, -30", "p.transaction_date >= DATEADD(DAY, -30")],
    ),
    (
        "previous row instead of previous calendar month",
        "gold.vw_monthly_revenue_trend",
        [
            (
                "p.total_revenue AS previous_month_revenue",
                "LAG(m.total_revenue) OVER (ORDER BY m.month_start) AS previous_month_revenue",
            )
        ],
    ),
    (
        "ties broken by ROW_NUMBER",
        "gold.vw_high_value_customers",
        [
            (
                "RANK() OVER (ORDER BY c.total_spend DESC)",
                "ROW_NUMBER() OVER (ORDER BY c.total_spend DESC)",
            )
        ],
    ),
    (
        "previous window overlaps the last one",
        "gold.vw_executive_dashboard",
        [
            (
                "AND d.transaction_date <= DATEADD(DAY, -30, a.as_of_date)",
                "AND d.transaction_date <= a.as_of_date",
            )
        ],
    ),
]


@pytest.mark.parametrize(("mistake", "name", "edits"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_mistake_in_the_date_logic_fails(views_on_synthetic_gold, mistake, name, edits):
    tsql = VIEWS_SCRIPT.read_text(encoding="utf-8")
    for old, new in edits:
        assert tsql.count(old) == 1, f"{mistake}: {old!r} not found once in the views"
        tsql = tsql.replace(old, new)
    _, rows = views_on_synthetic_gold(name, tsql)
    assert rows != EXPECTED[name]
