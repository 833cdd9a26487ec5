"""The needs-assessment dashboard (practices/tools/needs-dashboard.ipynb).

It shows the kit's invented survey or a CSV file the trainer uploads: response rate overall and by
municipality, and the mean score of each need grouped by organisation type or municipality.
The survey logic is civickit.survey; reading the upload is civickit.upload.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field

import pandas as pd

from . import survey
from .datasets import catalogue, load_table
from .errors import KitError
from .first_frame import app_view
from .formatting import number_bg, percent_bg
from .upload import read_csv_upload

TABLE = "needs_survey_synthetic"
GROUPS = {"org_type": "вид организация", "municipality": "община"}
GROUP_HEADERS = {"org_type": "Вид организация", "municipality": "Община"}
ANSWERS = {"да", "не"}
MAX_SCORE = 3
BAR = "#1b5e9a"
TOP = "#8a4b00"


@dataclass
class Survey:
    """A cleaned survey and where it came from, with notes for the person who uploaded it."""

    table: pd.DataFrame
    source_bg: str
    raw_rows: int
    notes: list[str] = field(default_factory=list)


def check_survey(table: pd.DataFrame) -> pd.DataFrame:
    """Survey rules beyond the schema: `responded` is да/не, each score 0–3; errors name column and line.

    Returns a copy with `responded` in lower case (“Да” counts as “да”).
    """
    out = table.copy()
    lines = table.attrs.get("lines") or [i + 2 for i in range(len(table))]
    answers = out["responded"].str.strip().str.lower()
    bad = (~answers.isin(ANSWERS)).fillna(True).astype(bool)
    if bad.any():
        at = int(bad.to_numpy().argmax())
        raise KitError(
            f"Колона „responded“, ред {lines[at]} от файла: „{out['responded'].iloc[at]}“ — "
            "очаква се „да“ (организацията е отговорила) или „не“."
        )
    out["responded"] = answers
    for need in survey.NEEDS:
        scores = out[need]
        wrong = ((scores < 0) | (scores > MAX_SCORE)).fillna(False).astype(bool)
        if wrong.any():
            at = int(wrong.to_numpy().argmax())
            raise KitError(
                f"Колона „{need}“, ред {lines[at]} от файла: оценката {scores.iloc[at]} е извън скалата "
                f"от 0 (няма нужда) до {MAX_SCORE} (голяма нужда)."
            )
    return out


def prepare(table: pd.DataFrame, source_bg: str, notes: list[str] | None = None) -> Survey:
    """Check and clean (civickit.survey.clean_survey) a survey table; note repeated organisations."""
    cleaned = survey.clean_survey(check_survey(table))
    notes = list(notes or [])
    repeated = len(table) - len(cleaned)
    if repeated:
        notes.append(f"Повторени редове на една и съща организация (еднакъв org_id): {repeated}; взет е първият.")
    return Survey(cleaned, source_bg, len(table), notes)


def example_survey() -> Survey:
    return prepare(load_table(TABLE), "измисленото (синтетично) примерно проучване на курса")


def uploaded_survey(content: bytes, filename: str) -> Survey:
    """A survey from an uploaded CSV file; KitError (in Bulgarian) when it cannot be used."""
    frame = read_csv_upload(content, TABLE)
    return prepare(frame, f"файла „{filename}“", frame.attrs.get("notes"))


def _bar(share: float, colour: str = BAR, length_em: float = 8) -> str:
    """A bar (hidden from screen readers: the number beside it says the same)."""
    width = max(0.0, min(1.0, share)) * 100
    return (
        f"<span style='display:inline-block;width:{length_em}em;background:#e8e8e8;vertical-align:middle;margin-right:.4em'"
        f" aria-hidden='true'><span style='display:block;background:{colour};width:{width:.0f}%;height:.9em'>"
        "</span></span>"
    )


def response_html(table: pd.DataFrame) -> str:
    rates = survey.response_rate_by(table, "municipality")
    totals = table.groupby("municipality").size()
    answered = survey.responded(table).groupby(table["municipality"]).sum()
    order = [m for m in survey.MUNICIPALITIES if m in rates.index] + sorted(set(rates.index) - set(survey.MUNICIPALITIES))
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(str(m))}</th><td>{_bar(rates[m])}{percent_bg(rates[m])}</td>"
        f"<td>{number_bg(answered[m])} от {number_bg(totals[m])}</td></tr>"
        for m in order
    )
    return (
        "<table class='civickit-response'><caption>Дял на отговорилите по общини</caption>"
        "<thead><tr><th scope='col'>Община</th><th scope='col'>Дял на отговорилите</th>"
        f"<th scope='col'>Отговорили организации</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def needs_html(table: pd.DataFrame, group: str) -> str:
    means = survey.needs_by(table, group)
    if means.empty:
        return "<p>Никоя организация не е отговорила, затова няма оценки на нуждите.</p>"
    top = survey.top_need(table, group)
    counts = survey.respondents(table).groupby(group).size()
    heads = "".join(f"<th scope='col'>{html.escape(survey.NEED_LABELS_BG[n])}</th>" for n in survey.NEEDS)
    rows = []
    for name, scores in means.iterrows():
        cells = []
        for need in survey.NEEDS:
            value = scores[need]
            if pd.isna(value):
                cells.append("<td>няма оценки</td>")
                continue
            is_top = need == top[name]
            text = number_bg(value, 1)
            cells.append(
                f"<td>{_bar(value / MAX_SCORE, TOP if is_top else BAR, 4)}"
                + (f"<strong>{text} ★</strong>" if is_top else text) + "</td>"
            )
        rows.append(
            f"<tr><th scope='row'>{html.escape(str(name))}</th><td>{number_bg(counts[name])}</td>{''.join(cells)}"
            f"<td>{html.escape(survey.NEED_LABELS_BG[top[name]])}</td></tr>"
        )
    return (
        f"<table class='civickit-needs'><caption>Средна оценка на нуждите (0 = няма нужда, {MAX_SCORE} = голяма нужда) "
        f"по {GROUPS[group]}; ★ = най-голямата нужда</caption>"
        f"<thead><tr><th scope='col'>{GROUP_HEADERS[group]}</th><th scope='col'>Отговорили</th>{heads}"
        f"<th scope='col'>Най-голяма нужда</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def dashboard_html(data: Survey, group: str = "org_type") -> str:
    """The whole result: a status line, response rates by municipality, needs by `group`."""
    if group not in GROUPS:
        raise KitError(f"Групирането може да е по: {', '.join(GROUPS)}.")
    table = data.table
    answered = int(survey.responded(table).sum())
    rate = survey.response_rate(table)
    means = survey.needs_by(table, group)
    status = (
        f"Данни: {html.escape(data.source_bg)} — {number_bg(len(table))} организации, "
        f"отговорили {number_bg(answered)} ({percent_bg(rate)}). Нуждите са групирани по {GROUPS[group]}: "
        f"{number_bg(len(means))} групи."
    )
    return (
        f"<p class='civickit-summary' role='status'>{status}</p>"
        f"<h3>Отговорили: {percent_bg(rate)} от всички организации</h3>"
        f"{response_html(table)}<h3>Нужди по {GROUPS[group]}</h3>{needs_html(table, group)}"
    )


def message_html(text: str, error: bool = False) -> str:
    if not text:
        return ""
    colour = "#9b1c1c" if error else "#1e4620"
    role = "alert" if error else "status"
    return f"<div role='{role}' style='color:{colour};border-left:4px solid {colour};padding:.3em .6em'>{html.escape(text)}</div>"


def template_link() -> str:
    """A download link (data: URI) to a CSV template: the header and three example rows, UTF-8 with BOM
    so that Excel shows the Cyrillic correctly."""
    columns = list(catalogue()[TABLE]["columns"])
    example = load_table(TABLE).head(3)
    csv_text = example[columns].to_csv(index=False, lineterminator="\r\n")
    payload = base64.b64encode(("\ufeff" + csv_text).encode("utf-8")).decode("ascii")
    return (
        f"<a download='obrazec-prouchvane-nuzhdi.csv' href='data:text/csv;charset=utf-8;base64,{payload}'>"
        "Изтеглете образец на таблицата (CSV, UTF-8)</a> — колони: " + html.escape(", ".join(columns)) + "."
    )


@app_view
def needs_dashboard_app():
    """The dashboard widget: upload, grouping, messages and the result."""
    import ipywidgets as widgets

    style = {"description_width": "initial"}
    group = widgets.Dropdown(
        options=[(label, key) for key, label in GROUPS.items()], value="org_type",
        description="Групиране по", style=style,
    )
    group.add_class("civickit-control")
    upload = widgets.FileUpload(accept=".csv", multiple=False, description="Качете CSV файл", icon="upload",
                              layout=widgets.Layout(width="auto"))
    upload.add_class("civickit-upload")
    reset = widgets.Button(description="Обратно към примерните данни", icon="undo", disabled=True,
                           layout=widgets.Layout(width="auto"))
    message = widgets.HTML()
    message.add_class("civickit-upload-message")
    template = widgets.HTML(template_link())
    out = widgets.HTML()
    out.add_class("civickit-result")
    state = {"data": example_survey()}

    def show(_=None):
        out.value = dashboard_html(state["data"], group.value)

    def on_upload(change):
        files = change["new"]
        if not files:
            return
        item = files[0]
        name = item.get("name", "файл")
        try:
            data = uploaded_survey(bytes(item["content"]), name)
        except KitError as err:
            message.value = message_html(
                f"Файлът „{name}“ не е зареден. {err} Таблото продължава да показва предишните данни.", error=True
            )
        except Exception:  # never a traceback for the learner
            message.value = message_html(
                f"Файлът „{name}“ не може да бъде прочетен като таблица на проучване. Проверете дали е CSV файл "
                "с колоните от образеца. Таблото продължава да показва предишните данни.", error=True
            )
        else:
            state["data"] = data
            reset.disabled = False
            text = f"Заредени са {number_bg(len(data.table))} организации от „{name}“."
            message.value = message_html(" ".join([text, *data.notes]))
            show()
        upload.value = ()  # the same file (corrected) can be chosen again

    def on_reset(_):
        state["data"] = example_survey()
        reset.disabled = True
        message.value = message_html("Показани са отново измислените примерни данни.")
        show()

    group.observe(show, names="value")
    upload.observe(on_upload, names="value")
    reset.on_click(on_reset)
    show()
    return widgets.VBox([widgets.HBox([upload, reset]), template, message, group, out])
