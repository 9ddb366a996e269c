"""Customer-analytics medallion pipeline: the logic behind the Databricks notebooks.

The two notebooks (``notebooks/bronze_to_silver.py`` and ``notebooks/silver_to_gold.py``) only read
their widgets and call :mod:`analytics_pipeline.entrypoints`; everything else lives here so that it is
importable, unit-tested and identical on the cluster and on a local SparkSession.

Only pyspark and delta-spark are needed at runtime (both ship with the Databricks runtime).
"""

__version__ = "1.0.0"

# Written into every gold row (column ``transformation_version``). Bump it whenever the meaning of a
# gold column changes so that analysts can tell rows built by different logic apart.
TRANSFORMATION_VERSION = __version__
