"""`civickit voila-benchmark` runs end to end and prints its figures (a small class; the figures are not judged)."""

from __future__ import annotations

import re

import pytest

from conftest import BIN, REPO, kit_env, run

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_benchmark_prints_render_times_ratio_and_crowd_figures():
    """Does one run print both settings' medians and ratios (on screen, ready to use) and a class of 3 that all rendered?"""
    out = run([BIN / "civickit", "voila-benchmark", "--learners", "3", "--rounds", "1"], cwd=REPO, env=kit_env(REPO)).stdout
    assert len(re.findall(r"Voila defaults: +median \d+\.\d\d s", out)) == 2, out
    assert len(re.findall(r"kit public mode: +median \d+\.\d\d s", out)) == 2, out
    assert len(re.findall(r"ratio kit/default: \d+\.\d\d", out)) == 2, out
    assert "3 learners at once (kit public mode): rendered 3/3, errors 0" in out, out
    assert re.search(r"peak \d+ MB", out), out
