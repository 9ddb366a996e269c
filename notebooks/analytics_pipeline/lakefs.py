"""Listing and small reads on the lake through the Hadoop FileSystem of the Spark session.

Works the same for ``abfss://`` on the cluster (authorised by Unity Catalog's external locations) and
for local paths in tests. Needs the py4j gateway (``spark._jvm``), which dedicated (single-user)
access mode provides.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from urllib.parse import unquote

from pyspark.sql import SparkSession


@dataclass(frozen=True)
class FileInfo:
    path: str  # fully qualified, as Spark reports it in _metadata.file_path (e.g. file:/..., abfss://...)
    name: str
    size: int
    modified_ms: int  # modification time, epoch milliseconds (exact; used as part of the file key)

    @property
    def modified_at(self) -> datetime:
        return datetime.fromtimestamp(self.modified_ms / 1000, UTC)

    @property
    def key(self) -> str:
        """The path as listed (never decoded: ``%20`` may be part of a file's name)."""
        return self.path


def normalize_path(path: str) -> str:
    """A ``_metadata.file_path`` (URL-encoded by Spark) as the path the listing returned."""
    return unquote(path)


@cache
def _java_class(jvm, name: str):
    """The JVM class ``name``, resolved once: py4j resolves ``jvm.a.b.C`` with a round trip per
    name part, and the pipeline lists, reads and writes files one by one."""
    target = jvm
    for part in name.split("."):
        target = getattr(target, part)
    return target


def _hadoop_path(spark: SparkSession, path: str):
    return _java_class(spark.sparkContext._jvm, "org.apache.hadoop.fs.Path")(path)


def _fs(spark: SparkSession, path: str):
    hpath = _hadoop_path(spark, path)
    return hpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), hpath


def exists(spark: SparkSession, path: str) -> bool:
    fs, hpath = _fs(spark, path)
    return bool(fs.exists(hpath))


def delete(spark: SparkSession, path: str) -> None:
    fs, hpath = _fs(spark, path)
    if fs.exists(hpath):
        fs.delete(hpath, True)


def list_files(spark: SparkSession, directory: str, suffix: str = ".csv") -> list[FileInfo]:
    """Files directly under ``directory`` ending in ``suffix`` (case-insensitive), sorted by path.

    Hidden and marker files (``_SUCCESS``, ``.tmp``) are skipped.
    """
    fs, hpath = _fs(spark, directory)
    if not fs.exists(hpath):
        return []
    out = []
    for status in fs.listStatus(hpath):
        if not status.isFile():
            continue
        name = status.getPath().getName()
        if name.startswith(("_", ".")) or not name.lower().endswith(suffix):
            continue
        out.append(
            FileInfo(
                path=status.getPath().toString(),
                name=name,
                size=int(status.getLen()),
                modified_ms=int(status.getModificationTime()),
            )
        )
    return sorted(out, key=lambda f: f.path)


def list_partitions(spark: SparkSession, directory: str, column: str) -> list[str]:
    """Values of the Hive-style partition directories ``<column>=<value>`` under ``directory``."""
    fs, hpath = _fs(spark, directory)
    if not fs.exists(hpath):
        return []
    prefix = f"{column}="
    values = []
    for status in fs.listStatus(hpath):
        name = status.getPath().getName()
        if status.isDirectory() and name.startswith(prefix):
            values.append(unquote(name[len(prefix) :]))
    return sorted(values)


# Whitespace for headers and values: Unicode White_Space (tabs, NBSP, ideographic space, ...) plus
# the invisible zero-width space and BOM. The Spark side uses the same set (bronze_to_silver.WS).
WHITESPACE = "\\s\u200b\ufeff"
_TRIM = re.compile(f"^[{WHITESPACE}]+|[{WHITESPACE}]+$")


def strip_whitespace(text: str) -> str:
    return _TRIM.sub("", text)


def read_header(spark: SparkSession, path: str) -> list[str]:
    """The CSV header of ``path``: its first non-empty line, BOM stripped, names trimmed, lower-cased.

    Empty lines (nothing but a line break) before the header are skipped - as Spark's CSV reader
    skips them when it drops the header, so both agree on which line is the header. A line holding
    anything (even a tab) is not empty. ``[]`` when the file has no non-empty line.
    """
    fs, hpath = _fs(spark, path)
    jvm = spark.sparkContext._jvm
    stream = fs.open(hpath)
    try:
        utf8 = _java_class(jvm, "java.io.InputStreamReader")(stream, "UTF-8")
        reader = _java_class(jvm, "java.io.BufferedReader")(utf8)
        line = ""
        while True:
            read = reader.readLine()
            if read is None:
                break
            line = read.lstrip("\ufeff")
            if line:
                break
    finally:
        stream.close()
    fields = next(csv.reader([line]), [])
    return [strip_whitespace(f).lower() for f in fields]


def write_text(spark: SparkSession, path: str, text: str) -> None:
    """Write a small UTF-8 file atomically: write ``<path>.tmp-*`` then rename it into place.

    Fails if ``path`` exists (records are write-once). Rename is atomic on ADLS Gen2 (HNS) and on
    local file systems, so readers never see a half-written record.
    """
    import uuid

    fs, target = _fs(spark, path)
    tmp = _hadoop_path(spark, f"{path}.tmp-{uuid.uuid4().hex}")
    stream = fs.create(tmp, False)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()
    if not fs.rename(tmp, target):
        fs.delete(tmp, False)
        raise FileExistsError(f"could not publish {path} (exists already?)")


def read_text(spark: SparkSession, path: str) -> str:
    fs, hpath = _fs(spark, path)
    jvm = spark.sparkContext._jvm
    stream = fs.open(hpath)
    try:
        data = _java_class(jvm, "org.apache.commons.io.IOUtils").toByteArray(stream)
    finally:
        stream.close()
    return bytes(data).decode("utf-8")
