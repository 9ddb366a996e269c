"""A class-data-sharing archive for the local Spark JVM: the tests' start-up and first runs, faster.

A local SparkSession loads about 23,000 classes (Spark, Delta, Hadoop, Parquet); the JVM parses,
verifies and links each one on first use, about 10 s of a test session's first minute on 2 cores.
The JDK's AppCDS (https://docs.oracle.com/en/java/javase/17/vm/class-data-sharing.html) keeps them
parsed and verified in a file mapped at start-up: ``-XX:ArchiveClassesAtExit`` writes it when a
JVM exits, ``-XX:SharedArchiveFile`` maps it in later JVMs.

``python -m tools.class_archive`` (``make jvm-archive``) writes the archive once by running the
fixture lake through both notebooks; ``build_local_spark`` maps it when it exists. The file's name
is a digest of what the archive depends on (the JDK's build, Spark's and Delta's jars, their sizes
and times), so an upgrade gets a new one. The JVM checks the archive against its class path and,
if they differ, starts without it (slower, never wrong): sharing only changes how classes load.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DIR = REPO / "build" / "jvm"
# The JVM reports every class it cannot archive (signed jars, old class file versions), thousands
# of lines; not archiving them is expected.
QUIET = ["-Xlog:cds=off", "-Xlog:cds+dynamic=off"]


def _java_home() -> Path | None:
    """The JDK pyspark launches: JAVA_HOME, else the ``java`` on PATH (as spark-submit does)."""
    if os.environ.get("JAVA_HOME"):
        return Path(os.environ["JAVA_HOME"])
    java = shutil.which("java")
    return Path(java).resolve().parents[1] if java else None


def archive_path(directory: Path | None = None) -> Path | None:
    """Where this machine's archive lives (it may not exist yet); None without a JDK."""
    import pyspark

    java_home = _java_home()
    release = java_home / "release" if java_home else None
    if release is None or not release.is_file():
        return None
    jars = sorted((Path(pyspark.__file__).parent / "jars").glob("*.jar"))
    base = directory or Path(os.environ.get("SPARK_CLASS_ARCHIVE_DIR", DEFAULT_DIR))
    return base / f"spark-{digest(release.read_bytes(), jars, _delta_version())}.jsa"


def digest(jdk_release: bytes, jars: list[Path], delta_version: str) -> str:
    """What the archive depends on: the JDK's build (its ``release`` file), every jar on Spark's
    class path (name, size, time) and the Delta version (its jars come from Maven Central)."""
    h = hashlib.sha256(jdk_release)
    for jar in jars:
        stat = jar.stat()
        h.update(f"{jar.name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    h.update(delta_version.encode())
    return h.hexdigest()[:16]


def _delta_version() -> str:
    from importlib.metadata import version

    return version("delta-spark")


def java_options(directory: Path | None = None) -> list[str]:
    """The options that map the archive, or none when there is no archive yet."""
    path = archive_path(directory)
    if path is None or not path.is_file():
        return []
    return [f"-XX:SharedArchiveFile={path}", *QUIET]


class NotWritten(RuntimeError):
    """The JVM ran the workload but wrote no archive."""


def write_archive(path: Path) -> float:
    """Run the fixture lake through both notebooks in a JVM that archives its classes at exit;
    returns the seconds it took. The archive appears at ``path`` only once it is complete."""
    from tools.lake import FIXTURE_FILES, land_fixture
    from tools.local_spark import build_local_spark
    from tools.run_notebook import run_notebook

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="class-archive-") as work:
        lake = Path(work) / "lake"
        land_fixture(lake, *FIXTURE_FILES)
        spark = build_local_spark(
            "class-archive",
            warehouse_dir=str(Path(work) / "warehouse"),
            java_options=[f"-XX:ArchiveClassesAtExit={partial}", *QUIET],
            class_archive=False,
        )
        from pyspark import SparkContext

        notebooks = REPO / "notebooks"
        with contextlib.redirect_stdout(io.StringIO()):  # the notebooks print their status
            for run_id, day in (("a", "2026-11-02"), ("b", "2026-11-03"), ("c", "2026-11-05")):
                common = {
                    "storage_account": str(lake),
                    "pipeline_run_id": run_id,
                    "ingestion_date": day,
                }
                b2s = {**common, "quality_threshold": "50"}
                run_notebook(notebooks / "bronze_to_silver.py", spark, b2s)
                run_notebook(notebooks / "silver_to_gold.py", spark, common)
        spark.stop()
        # The JVM writes the archive on its way out, which it takes when its stdin closes.
        process = SparkContext._gateway.proc
        process.stdin.close()
        process.wait(timeout=300)
    if not partial.is_file() or partial.stat().st_size == 0:
        raise NotWritten(f"the JVM exited ({process.returncode}) without writing {partial}")
    partial.replace(path)
    for stale in path.parent.glob("spark-*.jsa*"):  # earlier versions' archives, crashed writes
        if stale != path:
            stale.unlink(missing_ok=True)
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="write it again even if it exists")
    args = parser.parse_args(argv)
    path = archive_path()
    if path is None:
        print("class archive: no JDK found (JAVA_HOME or java on PATH); skipped", file=sys.stderr)
        return 0
    if path.is_file() and not args.force:
        return 0
    print(f"class archive: writing {path} (once per JDK and Spark version) ...", flush=True)
    try:
        seconds = write_archive(path)
    except NotWritten as exc:  # a JDK without a base archive, say: the tests only start slower
        print(f"class archive: {exc}; local sessions start without one", file=sys.stderr)
        return 0
    print(f"class archive: {path.stat().st_size / 2**20:.0f} MiB in {seconds:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
