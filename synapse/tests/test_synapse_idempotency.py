"""Every script can run again and again: no bare CREATE of an object that already exists after the
first run, and nothing destructive beyond re-creating the gold tables."""

from __future__ import annotations

import re

import pytest

from sqlkit.analysis import (
    SQLFLUFF_GAPS,
    creates,
    idempotency_problems,
    parseable_scripts,
    statements,
)
from sqlkit.gold import generate

PARSED = parseable_scripts()


@pytest.mark.parametrize("name", PARSED)
def test_script_is_idempotent_by_construction(rendered, name):
    assert idempotency_problems(rendered[name].text, name) == []


@pytest.mark.parametrize("name", sorted(SQLFLUFF_GAPS))
def test_gap_scripts_create_nothing(rendered, name):
    code = [line for line in rendered[name].text.splitlines() if not line.startswith("--")]
    assert code
    assert not re.search(r"\b(CREATE|DROP|ALTER)\b", "\n".join(code), re.IGNORECASE)


def test_every_object_is_created_once_and_recognised(rendered):
    made = [
        (c.kind, c.name) for name in PARSED for c in creates(statements(rendered[name].text, name))
    ]
    assert made == [
        ("database", "CustomerAnalytics"),
        ("master key", "##MS_DatabaseMasterKey##"),
        ("database scoped credential", "WorkspaceIdentity"),
        ("external data source", "GoldLake"),
        ("external file format", "DeltaFormat"),
        ("schema", "gold"),
        ("external table", "gold.daily_sales_summary"),
        ("external table", "gold.customer_segmentation"),
        ("external table", "gold.product_category_performance"),
        ("external table", "gold.store_performance"),
        ("view (create or alter)", "gold.vw_top_categories_last_30_days"),
        ("view (create or alter)", "gold.vw_high_value_customers"),
        ("view (create or alter)", "gold.vw_monthly_revenue_trend"),
        ("view (create or alter)", "gold.vw_store_comparison"),
        ("view (create or alter)", "gold.vw_executive_dashboard"),
        ("role", "analysts"),
        ("user", "customer-analytics-dev-data-analysts"),
    ]


def test_only_gold_tables_are_ever_dropped(rendered):
    drops = [
        st.text
        for name in PARSED
        for st in statements(rendered[name].text, name)
        if st.text.upper().startswith("DROP ")
    ]
    tables = ["daily_sales_summary", "customer_segmentation"]
    tables += ["product_category_performance", "store_performance"]
    assert drops == [
        stmt for t in tables for stmt in (f"DROP VIEW gold.{t}", f"DROP EXTERNAL TABLE gold.{t}")
    ]


def test_the_view_form_of_a_gold_table_is_idempotent_too(partitioned_contract):
    assert idempotency_problems(generate(partitioned_contract), "030 (partitioned)") == []


# The rules must catch what they are meant to catch.
@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        (
            "CREATE EXTERNAL DATA SOURCE GoldLake WITH (LOCATION = 'x');\n",
            "external data source GoldLake: bare CREATE",
        ),
        (
            "CREATE DATABASE SCOPED CREDENTIAL WorkspaceIdentity WITH IDENTITY = 'Managed Identity';\n",
            "database scoped credential WorkspaceIdentity: bare CREATE",
        ),
        ("CREATE VIEW gold.vw_x AS SELECT 1 AS a;\n", "view gold.vw_x: use CREATE OR ALTER VIEW"),
        (
            "CREATE EXTERNAL TABLE gold.t (a INT) WITH "
            "(LOCATION = 't', DATA_SOURCE = GoldLake, FILE_FORMAT = DeltaFormat);\n",
            "external table gold.t: not preceded by a guarded DROP",
        ),
        (
            # the guard tests another object
            "IF NOT EXISTS (SELECT 1 FROM sys.external_file_formats WHERE name = N'Parquet')\n"
            "    CREATE EXTERNAL FILE FORMAT DeltaFormat WITH (FORMAT_TYPE = DELTA);\n",
            "external file format DeltaFormat: bare CREATE",
        ),
        (
            # the guard tests presence, not absence
            "IF EXISTS (SELECT 1 FROM sys.external_file_formats WHERE name = N'DeltaFormat')\n"
            "    CREATE EXTERNAL FILE FORMAT DeltaFormat WITH (FORMAT_TYPE = DELTA);\n",
            "external file format DeltaFormat: bare CREATE",
        ),
        ("EXEC (N'CREATE SCHEMA gold AUTHORIZATION dbo;');\n", "schema gold: bare CREATE"),
        (
            "EXEC (N'CREATE MASTER KEY ENCRYPTION BY PASSWORD = ''' + @p + N''';');\n",
            "master key ##MS_DatabaseMasterKey##: bare CREATE",
        ),
        ("CREATE ROLE analysts AUTHORIZATION dbo;\n", "role analysts: bare CREATE"),
        ("CREATE USER [some-group] FROM EXTERNAL PROVIDER;\n", "user some-group: bare CREATE"),
        ("ALTER ROLE analysts ADD MEMBER [some-group];\n", "ADD MEMBER [some-group] without"),
        (
            # an unguarded DROP does not make the CREATE after it rerunnable
            "DROP EXTERNAL TABLE gold.t;\nGO\nCREATE EXTERNAL TABLE gold.t (a INT) WITH "
            "(LOCATION = 't', DATA_SOURCE = GoldLake, FILE_FORMAT = DeltaFormat);\n",
            "external table gold.t: not preceded by a guarded DROP",
        ),
    ],
)
def test_rules_reject_non_rerunnable_sql(sql, problem):
    problems = idempotency_problems(sql, "bad.sql")
    assert len(problems) == 1
    assert problem in problems[0]


def test_an_unknown_kind_of_create_is_not_waved_through():
    with pytest.raises(ValueError, match="unclassified CREATE"):
        idempotency_problems("CREATE STATISTICS s ON gold.t (a);\n", "bad.sql")
