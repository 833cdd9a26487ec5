"""The apps' first frame: a widget tree drawn as plain HTML, put on the page before the live widgets arrive.

Voila shows a widget only after the browser has loaded JupyterLab's scripts and fetched the widget's state
from the kernel: about 2 s on the kit's 2-core server, longer on a training-room laptop, even when a
preheated kernel had the app ready before the learner asked. Every app displayed through `app_view` also
carries this HTML (the output's text/html, next to the widget); the kit's Voila template
(jupyter_data/voila/templates/civickit) shows it at once and removes it when the live widget has rendered.
The frame shows the app's state; its controls are drawn, not usable, for that second.
"""

from __future__ import annotations

import functools
import html
from datetime import date

from .formatting import date_bg

FRAME_CLASS = "civickit-first-frame"


def _escape(value) -> str:
    return html.escape(str(value))


def _hidden(widget) -> bool:
    layout = getattr(widget, "layout", None)
    return layout is not None and (layout.display == "none" or layout.visibility == "hidden")


def _control(widget) -> str:
    """A control as its label and current value (what the learner would read on it)."""
    import ipywidgets as widgets

    label = getattr(widget, "description", "") or ""
    if isinstance(widget, widgets.Button):
        return f"<p class='civickit-ff-button'>{_escape(label)}</p>" if label else ""
    if isinstance(widget, widgets.FileUpload):
        return f"<p class='civickit-ff-control'>{_escape(label)}</p>"
    if isinstance(widget, widgets.Checkbox):
        return f"<p class='civickit-ff-control'>{'☑' if widget.value else '☐'} {_escape(label)}</p>"
    if isinstance(widget, widgets.widget_selection._MultipleSelection):
        shown = ", ".join(str(x) for x in widget.label)
    elif isinstance(widget, widgets.widget_selection._Selection):
        shown = widget.label if widget.label is not None else ""
    elif isinstance(widget, widgets.widget_float._FloatRange | widgets.widget_int._IntRange):
        shown = f"{widget.value[0]} – {widget.value[1]}"
    else:
        shown = getattr(widget, "value", "")
    if isinstance(shown, date):
        shown = date_bg(shown)  # as the learner reads dates elsewhere in the kit
    elif isinstance(shown, float):
        shown = str(shown).replace(".", ",")  # whole numbers stay as the field shows them (a year is 2016)
    shown = "" if shown is None else shown
    return (f"<p class='civickit-ff-control'><span class='civickit-ff-label'>{_escape(label)}</span> "
            f"<span class='civickit-ff-value'>{_escape(shown)}</span></p>")


def _output(widget) -> str:
    parts = []
    for out in widget.outputs:
        data = out.get("data", {})
        if "text/html" in data:
            parts.append(data["text/html"])
        elif out.get("output_type") == "stream":
            parts.append(f"<pre>{_escape(out.get('text', ''))}</pre>")
        elif "text/plain" in data:
            parts.append(f"<pre>{_escape(data['text/plain'])}</pre>")
    return "".join(parts)


def static_html(widget) -> str:
    """The widget tree as HTML: boxes as blocks, HTML widgets as their markup, controls as label + value."""
    import ipywidgets as widgets

    if _hidden(widget):
        return ""
    if isinstance(widget, widgets.Tab | widgets.Accordion | widgets.Stack):
        index = widget.selected_index or 0
        titles = list(getattr(widget, "titles", ()))
        title = f"<p class='civickit-ff-label'>{_escape(titles[index])}</p>" if index < len(titles) else ""
        shown = widget.children[index] if index < len(widget.children) else None
        return f"<div>{title}{static_html(shown) if shown is not None else ''}</div>"
    if isinstance(widget, widgets.Box):
        row = isinstance(widget, widgets.HBox)
        style = " style='display:flex;flex-wrap:wrap;gap:1em'" if row else ""
        return f"<div{style}>{''.join(static_html(child) for child in widget.children)}</div>"
    if isinstance(widget, widgets.HTML | widgets.HTMLMath):
        return f"<div>{widget.value}</div>"
    if isinstance(widget, widgets.Label):
        return f"<p>{_escape(widget.value)}</p>"
    if isinstance(widget, widgets.Output):
        return _output(widget)
    if isinstance(widget, widgets.DOMWidget) and hasattr(widget, "description"):
        return _control(widget)
    return ""  # images, plots and other widgets wait for the live view


def _frame(widget) -> str:
    return f"<div class='{FRAME_CLASS}'>{static_html(widget)}</div>"


def register() -> None:
    """Adds the first frame to every widget the running IPython kernel displays (once; nothing outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    import ipywidgets as widgets

    # IPython asks the text/html formatter for widgets too, since their own bundle has no text/html.
    shell.display_formatter.formatters["text/html"].for_type(widgets.DOMWidget, _frame)


def app_view(build):
    """Decorator for an app's entry function: what it returns is displayed with its first frame."""

    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        register()
        return build(*args, **kwargs)

    return wrapper
