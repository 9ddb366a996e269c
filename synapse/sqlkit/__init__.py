"""Tooling for the Synapse serverless SQL scripts in ``synapse/``.

- :mod:`sqlkit.scripts` lists the ordered scripts and their sqlcmd variables (stdlib only).
- :mod:`sqlkit.render` renders them for a stack from its outputs (stdlib only, so the deploy job
  runs it with the runner's ``python3`` and no virtualenv).
- :mod:`sqlkit.gold` generates ``030_gold_tables.sql`` from the gold contract the notebooks write
  (needs the notebooks' package, i.e. the dev virtualenv).
- :mod:`sqlkit.views` extracts the analyst views and transpiles them to Spark SQL (sqlglot).
- :mod:`sqlkit.analysis` reads the scripts' structure with sqlfluff; :mod:`sqlkit.spark_views`
  runs the transpiled views on Spark. Both serve the checks in ``synapse/tests``.
"""
