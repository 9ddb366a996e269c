"""Every table and column the SQL names exists in the gold contract the notebooks declare
(notebooks/analytics_pipeline/gold_contract.json, read through analytics_pipeline.contract: the
same loader the pipeline and its tests use)."""

from __future__ import annotations

import pytest
from sqlglot import exp
from sqlglot.errors import OptimizeError
from sqlglot.optimizer.qualify import qualify

from analytics_pipeline.contract import load_contract
from sqlkit import gold
from sqlkit.analysis import parse
from sqlkit.views import analyst_views

ANALYST_VIEWS = [
    "gold.vw_top_categories_last_30_days",
    "gold.vw_high_value_customers",
    "gold.vw_monthly_revenue_trend",
    "gold.vw_store_comparison",
    "gold.vw_executive_dashboard",
]


def test_gold_tables_script_is_generated_from_the_current_contract():
    assert gold.GOLD_SCRIPT.read_text(encoding="utf-8") == gold.generate(), (
        "synapse/030_gold_tables.sql is out of date with the gold contract: make synapse-generate"
    )
    assert gold.main(["--check"]) == 0


def _declared_objects(sql: str) -> dict[str, tuple[str, list[tuple[str, str]], str]]:
    """name -> (kind, [(column, T-SQL type)], folder), read back from the parsed T-SQL."""
    tree = parse(sql, "030_gold_tables.sql")
    found = {}
    for st in tree.recursive_crawl("create_external_table_statement"):
        name = next(st.recursive_crawl("object_reference")).raw
        columns = []
        for cd in st.recursive_crawl("column_definition"):
            parts = [c.raw for c in cd.segments if not (c.is_whitespace or c.is_meta)]
            columns.append((parts[0], " ".join(parts[1:])))
        folder = next(
            lit.raw.strip("'")
            for lit in st.recursive_crawl("quoted_literal")
            if "LOCATION" in st.raw[: st.raw.index(lit.raw)].rsplit(",", 1)[-1]
        )
        found[name] = (gold.EXTERNAL_TABLE, columns, folder)
    for st in tree.recursive_crawl("create_view_statement"):
        name = next(st.recursive_crawl("object_reference")).raw
        with_clause = next(st.recursive_crawl("openrowset_with_clause"))
        bracket = next(with_clause.recursive_crawl("bracketed"))
        columns, current = [], []
        for token in bracket.segments:
            if token.is_whitespace or token.is_meta or token.raw == "(":
                continue
            if token.raw in (",", ")"):
                columns.append((current[0], " ".join(current[1:])))
                current = []
            else:
                current.append(token.raw)
        folder = next(st.recursive_crawl("openrowset_segment")).raw.split("'")[1]
        found[name] = (gold.DELTA_VIEW, columns, folder)
    return found


def _expected_objects(contract) -> dict[str, tuple[str, list[tuple[str, str]], str]]:
    return {
        f"gold.{t.name}": (
            gold.object_kind(t),
            [(c.name, gold.tsql_type(c.type)) for c in t.columns],
            t.name,
        )
        for t in contract.tables.values()
    }


def test_every_gold_table_has_exactly_the_contract_columns_in_order(rendered):
    declared = _declared_objects(rendered["030_gold_tables.sql"].text)
    assert declared == _expected_objects(load_contract())
    assert sorted(declared) == [
        "gold.customer_segmentation",
        "gold.daily_sales_summary",
        "gold.product_category_performance",
        "gold.store_performance",
    ]


def test_a_partitioned_table_becomes_a_delta_view_with_the_contract_columns(partitioned_contract):
    declared = _declared_objects(gold.generate(partitioned_contract))
    assert declared == _expected_objects(partitioned_contract)
    assert declared["gold.daily_sales_summary"][0] == gold.DELTA_VIEW
    assert {k for k, v in declared.items() if v[0] == gold.EXTERNAL_TABLE} == {
        "gold.customer_segmentation",
        "gold.product_category_performance",
        "gold.store_performance",
    }


@pytest.mark.parametrize(
    ("spark", "tsql"),
    [
        ("string", "VARCHAR(256) COLLATE Latin1_General_100_BIN2_UTF8"),
        ("date", "DATE"),
        ("timestamp", "DATETIME2(6)"),
        ("bigint", "BIGINT"),
        ("int", "INT"),
        ("double", "FLOAT"),
        ("boolean", "BIT"),
        ("decimal(18,2)", "DECIMAL(18, 2)"),
        ("decimal(38, 6)", "DECIMAL(38, 6)"),
    ],
)
def test_spark_types_map_to_tsql(spark, tsql):
    assert gold.tsql_type(spark) == tsql


def test_every_contract_type_has_a_mapping_and_unknown_types_fail():
    for table in load_contract().tables.values():
        for column in table.columns:
            gold.tsql_type(column.type)
    with pytest.raises(ValueError, match="add it to SPARK_TO_TSQL"):
        gold.tsql_type("array<string>")


def test_the_analyst_views_are_the_five_of_the_issue():
    assert [v.name for v in analyst_views()] == ANALYST_VIEWS


def _schema() -> dict:
    return {
        "gold": {
            name: {c.name: c.type for c in table.columns}
            for name, table in load_contract().tables.items()
        }
    }


def _check_view_references(views, schema) -> None:
    """Raise unless every table a view reads is a gold table or an earlier analyst view, and every
    column resolves against the contract (sqlglot qualifies each column and validates it)."""
    for view in views:
        ctes = {cte.alias for cte in view.select.find_all(exp.CTE)}
        for table in view.select.find_all(exp.Table):
            if table.name in ctes and not table.db:
                continue
            if table.db != "gold" or table.name not in schema["gold"]:
                raise LookupError(f"{view.name} reads {table.sql('tsql')}: not a gold table")
        qualify(view.select.copy(), schema=schema, dialect="tsql", validate_qualify_columns=True)
        schema["gold"][view.name.split(".", 1)[1]] = dict.fromkeys(view.output_columns, "TEXT")


def test_every_table_and_column_the_views_name_is_in_the_contract():
    schema = _schema()
    _check_view_references(analyst_views(), schema)
    assert [n for n in schema["gold"] if n.startswith("vw_")] == [
        v.split(".")[1] for v in ANALYST_VIEWS
    ]


def test_views_read_gold_tables_not_files():
    text = (gold.SYNAPSE_DIR / "040_analyst_views.sql").read_text(encoding="utf-8").upper()
    assert "OPENROWSET" not in text
    assert "DATA_SOURCE" not in text


@pytest.mark.parametrize(
    ("original", "broken", "error"),
    [
        ("c.total_spend", "c.total_spent", "Unknown column: total_spent"),
        ("gold.store_performance", "gold.store_performances", "not a gold table"),
        ("gold.daily_sales_summary", "silver.transactions", "not a gold table"),
    ],
)
def test_a_misspelt_table_or_column_is_caught(original, broken, error):
    text = (gold.SYNAPSE_DIR / "040_analyst_views.sql").read_text(encoding="utf-8")
    assert original in text
    from sqlkit.views import parse_views

    views = parse_views(text.replace(original, broken, 1))
    with pytest.raises((OptimizeError, LookupError), match=error):
        _check_view_references(views, _schema())
