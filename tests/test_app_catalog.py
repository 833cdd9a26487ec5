"""The list of apps the JupyterLab launcher and the public root show (civickit.app_catalog, civickit.launcher)."""

from __future__ import annotations

import json

import pytest
import yaml

from civickit.app_catalog import apps, notebook_heading
from civickit.casestudy import practices
from civickit.errors import KitError
from civickit.launcher import HUB_FOLDER, SECTION, write_config, write_hub_config
from conftest import REPO


def test_every_notebook_in_practices_is_an_app():
    """Is every notebook under practices/ listed once, case studies under the title of their facts file?"""
    listed = {app.path: app for app in apps(REPO)}
    on_disk = {p.relative_to(REPO / "practices").as_posix() for p in (REPO / "practices").rglob("*.ipynb")
               if ".ipynb_checkpoints" not in p.parts}
    assert set(listed) == on_disk
    for practice in practices().values():
        app = listed[practice["notebook"].removeprefix("practices/")]
        assert (app.kind, app.title) == ("case", practice["title_bg"])
    assert listed["tools/budget-calculator.ipynb"].title == "Калкулатор на проектния бюджет"


def test_launcher_config_points_every_card_at_voila(tmp_path):
    """Does the launcher YAML written at start give each app a card in the kit's section, opening it in Voila?"""
    cards = yaml.safe_load(write_config(REPO, tmp_path).read_text(encoding="utf-8"))
    assert [c["title"].replace("\u00ad", "") for c in cards] == [a.title for a in apps(REPO)]  # soft hyphens aside
    for card, app in zip(cards, apps(REPO)):
        assert card["catalog"] == SECTION and card["type"] == "url"
        assert card["source"] == f"/voila/render/practices/{app.path}"
        assert "allow-scripts" in card["args"]["sandbox"]


def test_hub_cards_carry_the_users_prefix(tmp_path):
    """On a hub, does a user's server write cards under its own /user/<name>/ prefix, and still start without them?"""
    import shutil

    shutil.copytree(REPO / "practices", tmp_path / "practices")
    assert write_hub_config(tmp_path, environ={}) is None  # not under a hub: `civickit start` writes its own
    folder = write_hub_config(tmp_path, environ={"JUPYTERHUB_SERVICE_PREFIX": "/user/ana/"})
    assert folder == tmp_path / HUB_FOLDER
    cards = yaml.safe_load((folder / "jp_app_launcher_civickit.yaml").read_text(encoding="utf-8"))
    assert [c["source"] for c in cards] == [f"/user/ana/voila/render/practices/{a.path}" for a in apps(REPO)]
    # a learner's edit that leaves a tool without a heading costs the cards, not the server
    (tmp_path / "practices" / "tools" / "mine.ipynb").write_text(json.dumps({"cells": []}), encoding="utf-8")
    assert write_hub_config(tmp_path, environ={"JUPYTERHUB_SERVICE_PREFIX": "/user/ana/"}) is None


def test_a_tool_without_a_heading_is_named(tmp_path):
    """Does a notebook with no heading stop the start with a message naming the file, instead of an empty card?"""
    nb = tmp_path / "untitled.ipynb"
    nb.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": "Без заглавие", "metadata": {}}]}),
                  encoding="utf-8")
    with pytest.raises(KitError, match="untitled.ipynb"):
        notebook_heading(nb)
