# Databricks notebook source
# MAGIC %md
# MAGIC # silver_to_gold
# MAGIC
# MAGIC Silver transactions -> the gold Delta tables Synapse serverless reads:
# MAGIC `daily_sales_summary`, `customer_segmentation`, `product_category_performance`,
# MAGIC `store_performance` (columns and types in `analytics_pipeline/gold_contract.json`).
# MAGIC Only the dates and customers in the silver change log after the gold watermark are
# MAGIC recomputed (`replaceWhere` per date, `MERGE` per customer); the first run builds everything.
# MAGIC With `catalog` set (Unity Catalog) the gold tables are written by name `<catalog>.gold.<table>`;
# MAGIC empty = by path. No credential here: storage access comes from Unity Catalog.
# MAGIC
# MAGIC Exit status JSON: `{"status": "SUCCEEDED" | "NO_NEW_DATA", "notebook", "pipeline_run_id",
# MAGIC "metrics": {...}}`; on error the run records FAILED in `silver/_pipeline/run_metrics/` and fails.

# COMMAND ----------

dbutils.widgets.text("storage_account", "", "Storage account (ADLS Gen2)")
dbutils.widgets.text("catalog", "", "Unity Catalog catalog (empty = paths only)")
dbutils.widgets.text("source_container", "silver", "Source container")
dbutils.widgets.text("target_container", "gold", "Target container")
dbutils.widgets.text("pipeline_run_id", "", "Data Factory run id")
dbutils.widgets.text("ingestion_date", "", "Ingestion date (yyyy-MM-dd, recorded only)")

# COMMAND ----------

from analytics_pipeline.entrypoints import SILVER_TO_GOLD_WIDGETS, silver_to_gold_main
from analytics_pipeline.status import to_json

params = {name: dbutils.widgets.get(name) for name in SILVER_TO_GOLD_WIDGETS}

# COMMAND ----------

status = silver_to_gold_main(spark, params)
print(to_json(status))

# COMMAND ----------

dbutils.notebook.exit(to_json(status))
