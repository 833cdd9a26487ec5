"""CSV files that a trainer or learner uploads: decoded, parsed and checked against a kit table's schema.

Every problem a person can fix is raised as a KitError whose message is in Bulgarian and says
what is wrong (which column, which line, which encoding) and what to do about it; the widgets
show that message instead of a traceback. The schema check itself is civickit.datasets.validate.
"""

from __future__ import annotations

import io
import re

import pandas as pd

from .datasets import catalogue, validate
from .errors import KitError

MAX_BYTES = 5 * 1024 * 1024
SEPARATORS = (",", ";", "\t")
INTEGER = re.compile(r"^[+-]?\d+$")
DECIMAL = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")

SAVE_AS_UTF8_BG = (
    "Запишете го отново като UTF-8: в Excel изберете „Файл“ → „Запиши като“ → тип „CSV UTF-8 (разделен със "
    "запетаи)“; в LibreOffice Calc — „Файл“ → „Запиши като“ → „Текст CSV“, отметка „Редактиране на "
    "настройките на филтъра“ и „Знаков набор: Unicode (UTF-8)“. После качете новия файл."
)


def _quote(name: str) -> str:
    return f"„{name}“"


def _names(names) -> str:
    return ", ".join(_quote(n) for n in names)


def decode_upload(content: bytes) -> str:
    """The file's text; a Bulgarian KitError when it is empty, not text, or not UTF-8."""
    if not content or not content.strip():
        raise KitError("Файлът е празен. Изберете CSV файл, който има заглавен ред и поне един ред с данни.")
    if len(content) > MAX_BYTES:
        raise KitError(f"Файлът е твърде голям ({len(content) // (1024 * 1024)} MB); качете CSV файл до 5 MB.")
    if content.startswith(b"PK\x03\x04") or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise KitError(
            "Това изглежда е работна книга на Excel (.xlsx или .xls), а не CSV файл. " + SAVE_AS_UTF8_BG
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise KitError("Файлът е записан в кодировка UTF-16 („Unicode текст“), а не в UTF-8. " + SAVE_AS_UTF8_BG)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        guess = content.decode("cp1251")
    except UnicodeDecodeError:
        guess = ""
    if CYRILLIC.search(guess):
        raise KitError(
            "Файлът е записан в кодировка Windows-1251 (кирилицата на по-старите версии на Windows и Excel), "
            "а таблото чете само UTF-8. " + SAVE_AS_UTF8_BG
        )
    raise KitError("Файлът не е в кодировка UTF-8 и кодировката му не може да бъде разпозната. " + SAVE_AS_UTF8_BG)


def _separator(header: str) -> str:
    """Comma, semicolon (Excel with Bulgarian settings) or tab: whichever the header line uses most."""
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def parse_csv_text(text: str) -> tuple[pd.DataFrame, int]:
    """All cells as trimmed strings (empty = missing), the column `_line` with each row's line in
    the file, and how many wholly empty rows were dropped."""
    lines = text.splitlines()
    header = next((line for line in lines if line.strip()), "")
    if not header:
        raise KitError("Файлът е празен. Изберете CSV файл, който има заглавен ред и поне един ред с данни.")
    sep = _separator(header)
    skipped_top = lines.index(header)
    try:
        frame = pd.read_csv(
            io.StringIO("\n".join(lines[skipped_top:])), sep=sep, dtype=str, keep_default_na=False,
            na_values=[], skip_blank_lines=False, skipinitialspace=False,
        )
    except pd.errors.ParserError as err:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if found:
            expected, line, saw = (int(g) for g in found.groups())
            raise KitError(
                f"Ред {line + skipped_top} на файла има {saw} полета, а заглавният ред — {expected}. "
                "Проверете за излишен разделител или за текст със запетая, който не е в кавички."
            ) from None
        raise KitError("Файлът не може да бъде прочетен като CSV таблица. Проверете дали е запазен като CSV.") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.apply(lambda col: col.str.strip()).replace("", pd.NA)
    frame["_line"] = range(2 + skipped_top, 2 + skipped_top + len(frame))
    empty = frame.drop(columns="_line").isna().all(axis=1)
    return frame[~empty].reset_index(drop=True), int(empty.sum())


def check_columns(frame: pd.DataFrame, table: str) -> None:
    """Missing and unexpected columns, named."""
    expected = list(catalogue()[table]["columns"])
    present = [c for c in frame.columns if c != "_line"]
    unnamed = [c for c in present if c.startswith("Unnamed:")]
    missing = [c for c in expected if c not in present]
    extra = [c for c in present if c not in expected and c not in unnamed]
    duplicated = sorted({c.split(".")[0] for c in extra if re.fullmatch(r".+\.\d+", c) and c.split(".")[0] in expected})
    if not (missing or extra or unnamed):
        return
    parts = ["Колоните на файла не съвпадат с образеца."]
    if missing:
        parts.append(f"Липсват колони: {_names(missing)}.")
    if duplicated:
        parts.append(f"Повторени колони: {_names(duplicated)}.")
        extra = [c for c in extra if c.split(".")[0] not in duplicated]
    if extra:
        parts.append(f"Неочаквани колони: {_names(extra)}.")
    if unnamed:
        parts.append(f"Колони без име в заглавния ред: {len(unnamed)}.")
    parts.append(f"Заглавният ред трябва да съдържа точно тези колони: {', '.join(expected)}.")
    raise KitError(" ".join(parts))


def check_values(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Required cells filled and numbers that are numbers, each problem named by column and line.

    Decimal commas (2,5) become points so that validate() can read them."""
    out = frame.copy()
    for column, spec in catalogue()[table]["columns"].items():
        values = out[column]
        if spec.get("required") and values.isna().any():
            line = int(out.loc[values.isna(), "_line"].iloc[0])
            raise KitError(f"Колона {_quote(column)} е празна на ред {line} от файла; всеки ред трябва да има стойност в нея.")
        if spec["type"] in ("int", "float"):
            pattern = INTEGER if spec["type"] == "int" else DECIMAL
            filled = values.dropna()
            bad = filled[~filled.map(lambda v: bool(pattern.match(v)))]
            if len(bad):
                index = bad.index[0]
                kind = "цяло число" if spec["type"] == "int" else "число"
                raise KitError(
                    f"Колона {_quote(column)}, ред {int(out.loc[index, '_line'])} от файла: "
                    f"{_quote(bad.iloc[0])} не е {kind}. Поправете клетката или я оставете празна, ако може да липсва."
                )
            if spec["type"] == "float":
                out[column] = values.str.replace(",", ".", regex=False)
        if spec["type"] == "date":
            filled = values.dropna()
            parsed = pd.to_datetime(filled, format="%Y-%m-%d", errors="coerce")
            if parsed.isna().any():
                index = parsed[parsed.isna()].index[0]
                raise KitError(
                    f"Колона {_quote(column)}, ред {int(out.loc[index, '_line'])} от файла: "
                    f"{_quote(filled[index])} не е дата във вида ГГГГ-ММ-ДД (например 2026-11-26)."
                )
    return out


def read_csv_upload(content: bytes, table: str) -> pd.DataFrame:
    """An uploaded CSV file as a validated table shaped like the kit's table `table`.

    Wholly empty rows are dropped; their number is in `frame.attrs["empty_rows"]` and a Bulgarian
    note about them in `frame.attrs["notes"]`. Every other problem raises KitError (in Bulgarian).
    """
    if table not in catalogue():
        raise KitError(f"Няма таблица {_quote(table)} в курса.")
    frame, empty_rows = parse_csv_text(decode_upload(bytes(content)))
    check_columns(frame, table)
    if frame.empty:
        raise KitError("Файлът има заглавен ред, но няма нито един ред с данни.")
    lines = frame["_line"]
    checked = check_values(frame, table)
    try:
        out = validate(checked.drop(columns="_line"), table, "качен файл")
    except KitError as err:  # a case the checks above did not foresee: still no traceback
        raise KitError(f"Данните във файла не отговарят на образеца ({err}).") from None
    out.attrs["lines"] = list(lines)
    out.attrs["empty_rows"] = empty_rows
    out.attrs["notes"] = [empty_rows_note(empty_rows)] if empty_rows else []
    return out


def empty_rows_note(count: int) -> str:
    rows = "празен ред беше пропуснат" if count == 1 else "празни реда бяха пропуснати"
    return f"{count} {rows} (редове без нито една попълнена клетка)."
