"""Self-check widgets for exercises: instant feedback in Bulgarian, no grades kept."""

from __future__ import annotations

import html

import ipywidgets as widgets
from IPython.display import HTML, display

OK_STYLE = "color:#1b5e20;font-weight:600"
NO_STYLE = "color:#b71c1c;font-weight:600"


def _verdict(correct: bool, text: str) -> str:
    mark, style = ("✔ Вярно.", OK_STYLE) if correct else ("✘ Не съвсем.", NO_STYLE)
    return f"<p role='status'><span style='{style}'>{mark}</span> {html.escape(text)}</p>"


def choice(question: str, options: list[str], correct: int, explanation: str, hint: str = "") -> widgets.VBox:
    """A multiple-choice question that says at once whether the chosen answer is right."""
    picker = widgets.RadioButtons(options=options, value=None, layout=widgets.Layout(width="auto"))
    feedback = widgets.HTML()

    def on_change(change):
        if change["new"] is None:
            return
        right = options.index(change["new"]) == correct
        feedback.value = _verdict(right, explanation if right else (hint or "Прочетете отново въпроса и опитайте пак."))

    picker.observe(on_change, names="value")
    # The caller's cell shows the returned widget (it is the cell's last expression).
    return widgets.VBox([widgets.HTML(f"<p><strong>{html.escape(question)}</strong></p>"), picker, feedback])


def check_value(answer, expected, explanation: str, hint: str = "") -> None:
    """Compares a learner's computed answer with the expected one and says so in Bulgarian."""
    if answer is None or answer is Ellipsis:
        display(HTML("<p role='status'>Попълнете отговора на мястото на <code>...</code> и изпълнете клетката отново.</p>"))
        return
    right = answer == expected
    display(HTML(_verdict(right, explanation if right else (hint or f"Получихте {answer!r}. Проверете изчислението."))))
