"""The wiring every interactive app shares: its first control, a result that re-renders on any change.

The classes civickit-control and civickit-result are the contract tests/test_practices_voila.py relies on.
"""

from __future__ import annotations

from typing import Callable


def live_result(controls: list, render: Callable[[], str]):
    """An HTML result re-rendered by `render()` whenever any control changes; controls[0] is the main input."""
    import ipywidgets as widgets

    controls[0].add_class("civickit-control")
    out = widgets.HTML()
    out.add_class("civickit-result")

    def show(_=None):
        out.value = render()

    for control in controls:
        control.observe(show, names="value")
    show()
    return out


def dropdown_app(options: list, value, description: str, width: str, render: Callable[[object], str]):
    """One Bulgarian-labelled dropdown and, beneath it, `render(chosen value)`."""
    import ipywidgets as widgets

    choice = widgets.Dropdown(
        options=options, value=value, description=description,
        style={"description_width": "initial"}, layout=widgets.Layout(width=width),
    )
    out = live_result([choice], lambda: render(choice.value))
    return widgets.VBox([choice, out])  # shown as the cell's last expression
