"""Bad course files stop the kit with a message naming the file, port or package."""

from __future__ import annotations

import socket

from click.testing import CliRunner

from civickit.cli import main
from conftest import copy_kit


def invoke(root, *args, env=None):
    return CliRunner().invoke(main, list(args), env={"CIVICKIT_ROOT": str(root), **(env or {})})


def test_check_passes_on_the_kit(tmp_path):
    """Does `civickit check` accept the kit as committed?"""
    root = copy_kit(tmp_path / "kit")
    result = invoke(root, "check")
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


def test_broken_notebook_is_named(tmp_path):
    """Is a notebook that is not valid JSON reported by file and line, without a traceback?"""
    root = copy_kit(tmp_path / "kit")
    bad = root / "exercises" / "05-consultation-deadlines.ipynb"
    bad.write_text('{"cells": [', encoding="utf-8")
    result = invoke(root, "check")
    assert result.exit_code == 2
    assert "exercises/05-consultation-deadlines.ipynb" in result.output
    assert "line 1" in result.output
    assert "Traceback" not in result.output


def test_toc_entry_pointing_nowhere_is_named(tmp_path):
    """Is a _toc.yml entry without a page reported by its name?"""
    root = copy_kit(tmp_path / "kit")
    toc = root / "_toc.yml"
    toc.write_text(toc.read_text(encoding="utf-8") + "      - file: book/missing/page\n", encoding="utf-8")
    result = invoke(root, "build")
    assert result.exit_code == 2
    assert "book/missing/page" in result.output and "points nowhere" in result.output


def test_port_in_use_is_named(tmp_path):
    """Does `civickit start` on a taken port say which port and what to do, before building anything?"""
    root = copy_kit(tmp_path / "kit")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = invoke(root, "start", "--port", str(port))
    assert result.exit_code == 2
    assert f"Port {port}" in result.output and "PORT=" in result.output
    assert not (root / "_build").exists()


def test_missing_chromium_is_named(tmp_path):
    """Does `civickit doctor` name the missing browser package and how to install it?"""
    result = invoke(tmp_path, "doctor", env={"CIVICKIT_CHROMIUM": str(tmp_path / "no-chromium")})
    assert result.exit_code == 2
    assert "apt-get install chromium" in result.output
