# Databricks notebook source
# MAGIC %md
# MAGIC # bronze_to_silver
# MAGIC
# MAGIC New CSV files in `bronze/transactions/` and `bronze/customers/` -> typed, validated,
# MAGIC deduplicated silver (Parquet partitioned by `transaction_date`). Invalid rows go to
# MAGIC `silver/quarantine/<dataset>/` with a reason per row; run metrics go to
# MAGIC `silver/_pipeline/run_metrics/`. Only files not yet in `silver/_pipeline/processed_files/`
# MAGIC are read, so a rerun is a no-op. Never writes to bronze (the cluster has read-only access).
# MAGIC
# MAGIC The logic lives in the `analytics_pipeline` package beside this notebook; this notebook
# MAGIC only reads its widgets and returns the exit status JSON:
# MAGIC `{"status": "SUCCEEDED" | "NO_NEW_DATA", "notebook", "pipeline_run_id", "metrics": {...}}`.
# MAGIC If the quality rate is below `quality_threshold` the run writes its metrics and then fails.

# COMMAND ----------

dbutils.widgets.text("storage_account", "", "Storage account (ADLS Gen2)")
dbutils.widgets.text("catalog", "", "Unity Catalog catalog (empty = paths only)")
dbutils.widgets.text("source_container", "bronze", "Source container")
dbutils.widgets.text("target_container", "silver", "Target container")
dbutils.widgets.text("pipeline_run_id", "", "Data Factory run id")
dbutils.widgets.text("ingestion_date", "", "Ingestion date (yyyy-MM-dd, empty = all)")
dbutils.widgets.text("quality_threshold", "95", "Quality threshold (percent)")

# COMMAND ----------

from analytics_pipeline.entrypoints import BRONZE_TO_SILVER_WIDGETS, bronze_to_silver_main
from analytics_pipeline.status import to_json

params = {name: dbutils.widgets.get(name) for name in BRONZE_TO_SILVER_WIDGETS}

# COMMAND ----------

status = bronze_to_silver_main(spark, params)
print(to_json(status))

# COMMAND ----------

dbutils.notebook.exit(to_json(status))
