"""The apps' first frame (civickit.first_frame): what a learner sees of an app before its live widgets arrive."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets
from IPython.core.interactiveshell import InteractiveShell

from civickit import first_frame
from civickit.datasets import load_table
from civickit.participatory_budget import simulator


def test_controls_show_their_label_and_value_and_results_their_html():
    tree = widgets.VBox([
        widgets.Dropdown(options=[("Ямбол", "y"), ("Елхово", "e")], value="e", description="Община"),
        widgets.IntSlider(value=12, description="Места"),
        widgets.Checkbox(value=True, description="Само НПО"),
        widgets.FloatText(value=2.5, description="Дял"),
        widgets.DatePicker(value=date(2026, 3, 1), description="Публикувано"),
        widgets.HTML("<p class='civickit-summary'>Избрани: 12</p>"),
        widgets.HTML("скрито", layout=widgets.Layout(display="none")),
    ])
    html = first_frame.static_html(tree)
    assert "Община" in html and "Елхово" in html and "Ямбол" not in html
    assert "Места" in html and ">12<" in html
    assert "☑ Само НПО" in html
    assert ">2,5<" in html and ">01.03.2026 г.<" in html
    assert "<p class='civickit-summary'>Избрани: 12</p>" in html
    assert "скрито" not in html


def test_labels_are_escaped_but_html_results_are_not():
    html = first_frame.static_html(widgets.VBox([widgets.Text(value="<b>а</b>", description="Име"), widgets.HTML("<b>б</b>")]))
    assert "&lt;b&gt;а&lt;/b&gt;" in html and "<b>б</b>" in html


def test_an_app_displayed_in_ipython_carries_its_first_frame_next_to_the_widget():
    shell = InteractiveShell.instance()
    app = simulator(load_table("paris_ballot_example"), start_millions=5)
    data, _ = shell.display_formatter.format(app)
    assert "application/vnd.jupyter.widget-view+json" in data
    frame = data["text/html"]
    assert frame.startswith(f"<div class='{first_frame.FRAME_CLASS}'>")
    # The frame shows the state the widget has: the 5 M € envelope, not the default 20 M €.
    assert "5 000 000" in frame.replace("\u00a0", " ")
