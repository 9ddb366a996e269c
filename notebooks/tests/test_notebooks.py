"""The notebooks' source format, widgets and exit contract, and the deploy layout of the package."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from analytics_pipeline.entrypoints import BRONZE_TO_SILVER_WIDGETS, SILVER_TO_GOLD_WIDGETS
from tools.run_notebook import CELL_SEPARATOR, NOTEBOOK_HEADER, cells

NOTEBOOKS = Path(__file__).resolve().parents[1]
PACKAGE = NOTEBOOKS / "analytics_pipeline"
EXPECTED_WIDGETS = {
    "bronze_to_silver": {
        "storage_account": "",
        "catalog": "",
        "source_container": "bronze",
        "target_container": "silver",
        "pipeline_run_id": "",
        "ingestion_date": "",
        "quality_threshold": "95",
    },
    "silver_to_gold": {
        "storage_account": "",
        "catalog": "",
        "source_container": "silver",
        "target_container": "gold",
        "pipeline_run_id": "",
        "ingestion_date": "",
    },
}
WIDGET_CALL = re.compile(r'^dbutils\.widgets\.text\("([^"]+)", "([^"]*)"', re.M)


def source(name: str) -> str:
    return (NOTEBOOKS / f"{name}.py").read_text(encoding="utf-8")


def test_only_the_two_notebooks_are_top_level_python_files():
    # The Go program deploys every top-level notebooks/*.py as a notebook.
    assert sorted(p.name for p in NOTEBOOKS.glob("*.py")) == [
        "bronze_to_silver.py",
        "silver_to_gold.py",
    ]


@pytest.mark.parametrize("name", EXPECTED_WIDGETS)
def test_databricks_source_format(name):
    text = source(name)
    assert text.splitlines()[0] == NOTEBOOK_HEADER
    assert text.count(f"\n{CELL_SEPARATOR}\n") >= 3
    parts = cells(text)
    assert parts[0].startswith("# MAGIC %md")  # documentation cell first
    compile(text, name, "exec")  # valid Python as a whole, as the workspace import expects


@pytest.mark.parametrize("name", EXPECTED_WIDGETS)
def test_widgets_are_the_fixed_contract(name):
    declared = dict(WIDGET_CALL.findall(source(name)))
    assert declared == EXPECTED_WIDGETS[name]
    entry = BRONZE_TO_SILVER_WIDGETS if name == "bronze_to_silver" else SILVER_TO_GOLD_WIDGETS
    assert entry == EXPECTED_WIDGETS[name]  # the entry point falls back to the same defaults


@pytest.mark.parametrize("name", EXPECTED_WIDGETS)
def test_notebook_is_thin_and_exits_with_the_status_json(name):
    parts = cells(source(name))
    assert parts[-1] == "dbutils.notebook.exit(to_json(status))"
    code = "\n".join(p for p in parts if not p.startswith("# MAGIC"))
    assert f"{name}_main(spark, params)" in code
    tree = ast.parse(code)
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    imports = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imports == {"analytics_pipeline.entrypoints", "analytics_pipeline.status"}


def test_package_contains_only_deployable_files():
    # Deployed as workspace files: every *.py and *.json under analytics_pipeline/.
    files = [p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert files
    assert {p.suffix for p in files} <= {".py", ".json"}
    assert not [p for p in files if p.name.startswith("test_") or p.name == "conftest.py"]


def test_package_needs_only_pyspark_delta_and_the_standard_library():
    allowed = {"pyspark", "delta", "analytics_pipeline", "__future__"} | set(
        sys.stdlib_module_names
    )
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert roots <= allowed, f"{path.name} imports {roots - allowed}"


def test_no_notebook_code_configures_storage_credentials():
    """Under Unity Catalog the cluster reaches the lake through external locations: no notebook
    or package file may set ``fs.azure.*`` or read a secret."""
    files = [NOTEBOOKS / f"{name}.py" for name in EXPECTED_WIDGETS] + list(PACKAGE.rglob("*.py"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        for banned in ("fs.azure", "dbutils.secrets", "client_secret", "oauth2"):
            assert banned not in text, f"{path.name} contains {banned!r}"


def test_run_notebook_rejects_files_without_the_header():
    with pytest.raises(ValueError, match="header"):
        cells("print('hi')\n")
