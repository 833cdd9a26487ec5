"""The evaluation forms app (practices/tools/training-evaluation-forms.ipynb): a choice of two forms, the end-of-day
feedback and the self-check before/after. Checking and saving are civickit.evaluation_forms; this module
only builds the widgets and says in Bulgarian what happened.

Without a cohort workspace (evaluation_forms.forms_workspace) the forms are shown with their send buttons
disabled and a line saying why. On an error nothing is saved and nothing typed is cleared; after a
successful send the form is emptied, because the next participant may use the same phone or laptop.
"""

from __future__ import annotations

import html
from pathlib import Path

from . import evaluation_forms as ef
from .errors import KitError
from .first_frame import app_view
from .needs_dashboard import message_html  # the kit's alert/status line, as the dashboard shows it

SAVE_FAILED = ("Отговорът не можа да бъде записан на сървъра. Нищо не е изгубено от формуляра: "
               "съобщете на обучителя и опитайте отново след малко.")

# ipywidgets gives every radio option one fixed-height line, so an option that wraps on a phone overlaps the
# next one: let the options of the forms' questions grow with their text.
OPTION_CSS = ("<style>.civickit-question .widget-radio-box label{height:auto;line-height:1.35;display:flex;"
              "align-items:flex-start;margin:0 0 .45em;white-space:normal}"
              ".civickit-question .widget-radio-box input{order:-1;flex:none;margin:.2em .5em 0 1px}</style>")
FORMS = ("Обратна връзка за деня", "Тест преди и след")


def _question(widgets, number: int, text: str, options, css: str):
    """A numbered question with radio buttons and no answer chosen yet."""
    label = widgets.HTML(f"<p style='margin:.8em 0 .2em'><strong>{number}. {html.escape(text)}</strong></p>")
    choice = widgets.RadioButtons(options=options, index=None, layout=widgets.Layout(width="auto"))
    choice.add_class("civickit-question")
    choice.add_class(f"{css}-{number}")
    return label, choice


def _day_picker(widgets):
    picker = widgets.DatePicker(description="Ден на обучението", value=ef.today(), style={"description_width": "initial"})
    picker.add_class("civickit-day")
    return picker


def feedback_form(widgets, work: Path | None):
    """Level 1: three ratings 1-5 and one open question; anonymous."""
    intro = widgets.HTML(
        "<p><strong>Анонимно.</strong> Формулярът не пита за име и не записва кой сте. Оценете всяко твърдение "
        "от 1 (" + html.escape(ef.SCALE[1]) + ") до 5 (" + html.escape(ef.SCALE[5]) + ").</p>")
    day = _day_picker(widgets)
    options = [(f"{n} — {anchor}", n) for n, anchor in ef.SCALE.items()]
    rows, ratings = [], {}
    for number, (key, text) in enumerate(ef.FEEDBACK_QUESTIONS.items(), 1):
        label, choice = _question(widgets, number, text, options, "civickit-rating")
        rows += [label, choice]
        ratings[key] = choice
    comment_label = widgets.HTML(f"<p style='margin:.8em 0 .2em'><strong>{len(ratings) + 1}. "
                                 f"{html.escape(ef.OPEN_QUESTION)}</strong></p>")
    # Label above the field (a column): beside it, it would squeeze the field off a phone's screen.
    comment = widgets.Textarea(description="Вашият отговор:", placeholder="по желание",
                               style={"description_width": "initial"},
                               layout=widgets.Layout(width="95%", flex_flow="column", height="8em"))
    comment.add_class("civickit-comment")
    send = widgets.Button(description="Изпрати обратната връзка", button_style="primary", icon="paper-plane",
                          layout=widgets.Layout(width="auto"), disabled=work is None)
    send.add_class("civickit-send-feedback")
    message = widgets.HTML()
    message.add_class("civickit-feedback-message")

    def on_send(_):
        try:
            ef.save_feedback(work, day.value, {k: w.value for k, w in ratings.items()}, comment.value)
        except KitError as err:
            message.value = message_html(str(err), error=True)
            return
        except OSError:
            message.value = message_html(SAVE_FAILED, error=True)
            return
        for choice in ratings.values():
            choice.index = None
        comment.value = ""
        message.value = message_html("Благодарим! Отговорът е записан анонимно. Формулярът е изчистен "
                                     "за следващия участник.")

    send.on_click(on_send)
    return widgets.VBox([intro, day, *rows, comment_label, comment, send, message])


def self_check_form(widgets, work: Path | None):
    """Level 2: the day's questions, the moment (start/end of the day) and the participant's own code."""
    try:
        questions = ef.load_questions(ef.questions_path(work) if work else ef.PACKAGED_QUESTIONS)
    except KitError as err:  # the trainer's edited file is broken: say so in the form, keep the other tab working
        box = widgets.HTML(message_html(f"Тестът не може да се покаже: файлът с въпросите има грешка ({err}). "
                                        "Съобщете на обучителя.", error=True))
        return box
    intro = widgets.HTML(
        f"<p><strong>{html.escape(questions.title)}.</strong> Отговорете на едни и същи {questions.max_score} "
        "въпроса в началото и в края на деня: така се вижда колко е научено за деня. Това не е изпит и "
        "резултатът не се оценява.</p><p><strong>Кодът</strong> свързва двата ви отговора. Измислете го сами "
        "(например „синя-чаша-17“), <strong>не пишете името си</strong> и го запишете: вечерта ще ви трябва "
        "същият.</p>")
    day = _day_picker(widgets)
    moment = widgets.RadioButtons(options=[(text.capitalize(), key) for key, text in ef.MOMENTS.items()],
                                  index=None, description="Кога отговаряте", style={"description_width": "initial"})
    moment.add_class("civickit-moment")
    code = widgets.Text(description="Вашият код", placeholder="например синя-чаша-17",
                        style={"description_width": "initial"})
    code.add_class("civickit-code")
    rows, answers = [], {}
    for number, q in enumerate(questions.questions, 1):
        label, choice = _question(widgets, number, q.text, [(o, i) for i, o in enumerate(q.options, 1)],
                                  "civickit-item")
        rows += [label, choice]
        answers[q.id] = choice
    send = widgets.Button(description="Изпрати теста", button_style="primary", icon="paper-plane",
                          layout=widgets.Layout(width="auto"), disabled=work is None)
    send.add_class("civickit-send-self-check")
    message = widgets.HTML()
    message.add_class("civickit-self-check-message")

    def on_send(_):
        try:
            _, points = ef.save_self_check(work, questions, day.value, moment.value, code.value,
                                           {qid: w.value for qid, w in answers.items()})
        except KitError as err:
            message.value = message_html(str(err), error=True)
            return
        except OSError:
            message.value = message_html(SAVE_FAILED, error=True)
            return
        when = ef.MOMENTS[moment.value]
        for choice in (*answers.values(), moment):
            choice.index = None
        code.value = ""
        message.value = message_html(f"Записано ({when}): {points} от {questions.max_score} верни отговора. "
                                     "Формулярът е изчистен за следващия участник.")

    send.on_click(on_send)
    return widgets.VBox([intro, day, moment, code, *rows, send, message])


@app_view
def evaluation_forms_app(work: Path | None = None):
    """A choice of form and the chosen form; answers go to the cohort workspace, where
    `civickit cohort report` reads them. Both forms are built once, so switching loses nothing typed."""
    import ipywidgets as widgets

    why_not = ""
    if work is None:
        work, why_not = ef.forms_workspace()
    forms = [feedback_form(widgets, work), self_check_form(widgets, work)]
    choice = widgets.Dropdown(options=[(title, i) for i, title in enumerate(FORMS)], value=0,
                              description="Формуляр", style={"description_width": "initial"},
                              layout=widgets.Layout(width="auto"))
    choice.add_class("civickit-control")
    notice = widgets.HTML(OPTION_CSS + message_html(why_not, error=True))
    shown = widgets.VBox([forms[0]])
    shown.add_class("civickit-result")

    def show(change):
        shown.children = [forms[change["new"]]]

    choice.observe(show, names="value")
    return widgets.VBox([notice, choice, shown])
