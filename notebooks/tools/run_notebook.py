"""Run a Databricks source notebook locally, cell by cell, with a stand-in ``dbutils``.

This is how ``make demo`` and the notebook tests exercise the *notebook files themselves*: the same
widgets, the same imports, the same ``dbutils.notebook.exit`` - only ``storage_account`` points at a
local folder instead of an ADLS account.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

NOTEBOOK_HEADER = "# Databricks notebook source"
CELL_SEPARATOR = "# COMMAND ----------"


class NotebookExit(Exception):
    """Raised by ``dbutils.notebook.exit``; carries the exit value."""

    def __init__(self, value: str):
        super().__init__(value)
        self.value = value


class _Widgets:
    def __init__(self, values: Mapping[str, str]):
        self._values = dict(values)
        self.defined: dict[str, str] = {}

    def text(self, name: str, default_value: str = "", label: str | None = None) -> None:
        self.defined[name] = default_value

    def get(self, name: str) -> str:
        if name not in self.defined:
            raise KeyError(f"widget {name!r} is not defined")
        return str(self._values.get(name, self.defined[name]))

    def removeAll(self) -> None:
        self.defined.clear()


class _Notebook:
    def exit(self, value: str) -> None:
        raise NotebookExit(value)


class LocalDbutils:
    """The part of ``dbutils`` the notebooks use: ``widgets.text/get`` and ``notebook.exit``."""

    def __init__(self, widget_values: Mapping[str, str]):
        self.widgets = _Widgets(widget_values)
        self.notebook = _Notebook()


def cells(source: str) -> list[str]:
    if not source.startswith(NOTEBOOK_HEADER):
        raise ValueError("not a Databricks source notebook (missing header line)")
    body = source[len(NOTEBOOK_HEADER) :]
    return [cell.strip("\n") for cell in body.split(CELL_SEPARATOR)]


def run_notebook(path: str | Path, spark, widget_values: Mapping[str, str]) -> str | None:
    """Execute the notebook at ``path``; returns the value passed to ``dbutils.notebook.exit``.

    The notebook's directory goes on ``sys.path`` first, as Databricks Runtime 13.3+ does.
    """
    path = Path(path).resolve()
    notebook_dir = str(path.parent)
    if notebook_dir not in sys.path:
        sys.path.insert(0, notebook_dir)
    dbutils = LocalDbutils(widget_values)
    scope = {"__name__": "__main__", "spark": spark, "dbutils": dbutils}
    for index, cell in enumerate(cells(path.read_text(encoding="utf-8"))):
        code = compile(cell, f"{path.name}[cell {index}]", "exec")
        try:
            exec(code, scope)
        except NotebookExit as done:
            return done.value
    return None
