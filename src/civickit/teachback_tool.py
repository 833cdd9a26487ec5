"""The teach-back rubric app (practices/tools/teach-back-rubric.ipynb): a peer or the trainer scores a segment.

The sheet, its checks and where it is stored are civickit.teachback's; the rubric is
civickit.training_evaluation's. Sheets hold names, so they are saved only on the trainer's own server
(`civickit start`, behind its token) into the cohort workspace: in public mode (`civickit public`, no
login) the app shows the rubric and the total but neither lists the roster nor saves.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from .errors import KitError
from .first_frame import app_view
from .formatting import number_bg
from .teachback import DESCRIPTORS, LEVELS, ROLES, needed_total, save_sheet, slug
from .training_evaluation import CRITERION_FLOOR, CRITERION_MAX, TEACHBACK_CRITERIA

PUBLIC_MODE = "CIVICKIT_PUBLIC_MODE"  # set by civickit.public_voila for its kernels
MESSAGE_CLASS = "civickit-teachback-message"
MAXIMUM = CRITERION_MAX * len(TEACHBACK_CRITERIA)


def cohort_workspace() -> tuple[Path | None, str]:
    """The workspace sheets go to, or None and why not (Bulgarian, shown under the save button)."""
    if os.environ.get(PUBLIC_MODE):
        return None, ("Това е публичният режим без вход: тук можете да разгледате рубриката, но листът не се "
                      "записва. Обучителят отваря приложението от своя сървър (`civickit start`).")
    from .paths import course_root, workspace

    try:
        work = workspace(course_root())
    except KitError:
        return None, "Комплектът не е намерен на този сървър, затова листът не може да бъде записан."
    if not (work / "cohort.json").is_file():
        return None, ("Няма работно пространство на курса: обучителят първо изпълнява `civickit cohort init`, "
                      "после листовете могат да се записват.")
    return work, ""


def preview_html(scores: dict) -> str:
    """The live total of one sheet and whether it alone would pass the rubric."""
    given = {c: v for c, v in scores.items() if v is not None}
    total = sum(given.values())
    head = (f"<p class='civickit-summary' role='status'>Сбор по този лист: <strong>{number_bg(total)} от "
            f"{MAXIMUM}</strong> (оценени {len(given)} от {len(TEACHBACK_CRITERIA)} критерия).</p>")
    if len(given) < len(TEACHBACK_CRITERIA):
        return head + "<p>Оценете всички шест критерия, за да видите дали сегментът минава по този лист.</p>"
    low = [DESCRIPTORS[c][0] for c in TEACHBACK_CRITERIA if given[c] < CRITERION_FLOOR]
    if low:
        verdict = (f"✘ По този лист сегментът не минава: под „отчасти“ е {', '.join(f'„{n}“' for n in low)}; "
                   "силен критерий не покрива липсващ.")
    elif total < needed_total():
        verdict = f"✘ По този лист сегментът не минава: сборът е под {number_bg(needed_total())} от {MAXIMUM}."
    else:
        verdict = f"✔ По този лист сегментът минава: всеки критерий е поне 1 и сборът е поне {number_bg(needed_total())}."
    return head + (f"<p><strong>{html.escape(verdict)}</strong></p><p>Решението се взема по всички листове заедно: "
                   "листа на обучителя и поне на двама колеги.</p>")


def _message(lines: list[str], ok: bool = False) -> str:
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    colour = "#1b5e20" if ok else "#b71c1c"
    return f"<div role='status' style='color:{colour}'><ul>{items}</ul></div>"


@app_view
def teachback_app():
    """Presenter, scorer and role, the six criteria with their descriptors, two comments, live total, save."""
    import ipywidgets as widgets

    from .teachback import roster

    work, why_not = cohort_workspace()
    people = roster(work) if work else []
    style = {"description_width": "12em"}
    wide = widgets.Layout(width="36em")
    if people:
        presenter = widgets.Dropdown(options=[("— изберете от списъка —", "")] + [(n, i) for i, n in people],
                                     value="", description="Водещ", style=style, layout=wide)
    else:
        presenter = widgets.Text(description="Водещ (име)", placeholder="напр. Мария Иванова", style=style,
                                 layout=wide, continuous_update=False)
    scorer = widgets.Text(description="Вашето име", placeholder="който попълва листа", style=style, layout=wide)
    role = widgets.RadioButtons(options=[(label, key) for key, label in ROLES.items()], value=None,
                                description="Оценявам като", style=style)
    pickers, rows = {}, []
    for criterion in TEACHBACK_CRITERIA:
        title, text = DESCRIPTORS[criterion]
        picker = widgets.RadioButtons(options=[(label, value) for value, label in LEVELS.items()], value=None,
                                      description=title, style=style, layout=widgets.Layout(width="auto"))
        picker.add_class("civickit-control")
        pickers[criterion] = picker
        rows.append(widgets.HTML(f"<p style='margin:.8em 0 0'><strong>{html.escape(title)}.</strong> "
                                 f"{html.escape(text)}</p>"))
        rows.append(picker)
    worked = widgets.Textarea(description="Какво се получи", style=style, layout=widgets.Layout(width="36em", height="5em"))
    change = widgets.Textarea(description="Едно нещо за промяна", style=style,
                              layout=widgets.Layout(width="36em", height="5em"))
    result = widgets.HTML()
    result.add_class("civickit-result")
    save = widgets.Button(description="Запишете листа", button_style="primary", disabled=work is None)
    message = widgets.HTML(f"<p role='status'>{html.escape(why_not)}</p>" if why_not else "")
    message.add_class(MESSAGE_CLASS)

    def scores() -> dict:
        return {c: p.value for c, p in pickers.items()}

    def presenter_id_and_name() -> tuple[str, str]:
        if people:
            names = dict(people)
            return presenter.value, names.get(presenter.value, "")
        return slug(presenter.value), presenter.value.strip()

    def show(_=None):
        result.value = preview_html(scores())

    def on_save(_=None):
        if work is None:
            return
        sid, name = presenter_id_and_name()
        try:
            path = save_sheet(work, sid, name, scorer.value, role.value, scores(), worked.value, change.value)
        except KitError as err:
            message.value = _message(["Листът не е записан."] + str(err).splitlines())
            return
        message.value = _message([f"Листът е записан: {name} (оценител {scorer.value.strip()}, "
                                  f"{ROLES[role.value]}; файл {path.name}). Ако го запишете отново, брои се последният."],
                                 ok=True)

    for picker in pickers.values():
        picker.observe(show, names="value")
    save.on_click(on_save)
    show()
    intro = widgets.HTML("<p>Попълнете по един лист за всеки сегмент, който гледате. За всеки критерий изберете "
                         f"0 (не), 1 (отчасти) или {CRITERION_MAX} (да). Сегментът минава, когато средната оценка на всеки "
                         f"критерий е поне {number_bg(CRITERION_FLOOR)} и сборът е поне {number_bg(needed_total())} от {MAXIMUM}.</p>")
    return widgets.VBox([intro, presenter, scorer, role, *rows, worked, change, result, save, message])
