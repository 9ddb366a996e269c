"""Local-only helpers: SparkSession with Delta, sample-data generator, notebook runner, demo, bench.

Not deployed to Databricks (the Go program only uploads the two notebooks and analytics_pipeline/).
"""
