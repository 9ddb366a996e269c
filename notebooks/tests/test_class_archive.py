"""The local Spark JVM's class archive (tools.class_archive): a new name whenever what it was
written from changes, and no JVM option until it exists."""

from __future__ import annotations

import os

from tools import class_archive


def test_the_name_changes_with_the_jdk_a_jar_or_delta(tmp_path):
    jar = tmp_path / "spark-core.jar"
    jar.write_bytes(b"x" * 10)
    base = class_archive.digest(b"JAVA_VERSION=17.0.15", [jar], "3.2.1")
    assert base == class_archive.digest(b"JAVA_VERSION=17.0.15", [jar], "3.2.1")
    assert base != class_archive.digest(b"JAVA_VERSION=17.0.16", [jar], "3.2.1")
    assert base != class_archive.digest(b"JAVA_VERSION=17.0.15", [jar], "3.3.0")
    os.utime(jar, ns=(0, 10**18))  # the same jar replaced: another time
    assert base != class_archive.digest(b"JAVA_VERSION=17.0.15", [jar], "3.2.1")
    jar.write_bytes(b"x" * 11)
    assert base != class_archive.digest(b"JAVA_VERSION=17.0.15", [jar], "3.2.1")


def test_no_option_until_the_archive_exists_then_it_is_mapped(tmp_path):
    path = class_archive.archive_path(tmp_path)
    assert path is not None  # the tests run on a JDK
    assert path.parent == tmp_path
    assert class_archive.java_options(tmp_path) == []
    path.write_bytes(b"archive")
    options = class_archive.java_options(tmp_path)
    assert options[0] == f"-XX:SharedArchiveFile={path}"
    assert set(options[1:]) == set(class_archive.QUIET)
