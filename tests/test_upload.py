"""Uploaded CSV files (civickit.upload): every fixable problem named in Bulgarian, no traceback."""

from __future__ import annotations

import pytest

from civickit.datasets import DATA, load_table
from civickit.errors import KitError
from civickit.upload import read_csv_upload

TABLE = "needs_survey_synthetic"
GOOD = (DATA / "needs_survey_synthetic.csv").read_text(encoding="utf-8")
LINES = GOOD.splitlines()


def same_as_kit_table(frame) -> bool:
    """Equal to load_table, except that the upload trims spaces around every cell."""
    kit = load_table(TABLE)
    kit["municipality"] = kit["municipality"].str.strip()
    return frame.equals(kit)


def message(content: bytes) -> str:
    with pytest.raises(KitError) as caught:
        read_csv_upload(content, TABLE)
    return str(caught.value)


def test_good_file_reads_like_the_kit_table():
    """Does the shipped CSV, uploaded, give the same table as load_table (cells trimmed)?"""
    frame = read_csv_upload(GOOD.encode("utf-8"), TABLE)
    assert same_as_kit_table(frame)
    assert frame.attrs["empty_rows"] == 0 and frame.attrs["notes"] == []


def test_excel_flavours_are_read():
    """Do a UTF-8 BOM (Excel's 'CSV UTF-8'), semicolons (Excel with Bulgarian settings) and CRLF still read?"""
    content = ("\ufeff" + GOOD.replace(",", ";").replace("\n", "\r\n")).encode("utf-8")
    assert same_as_kit_table(read_csv_upload(content, TABLE))


def test_windows_1251_is_named_with_how_to_save_as_utf8():
    """Does a Windows-1251 file get a message naming that encoding and how to save as UTF-8?"""
    text = message(GOOD.encode("cp1251"))
    assert "Windows-1251" in text and "UTF-8" in text and "Запиши като" in text


def test_other_non_utf8_and_non_csv_files():
    """Are UTF-16 text, an Excel workbook and undecodable bytes refused with a way forward?"""
    assert "UTF-16" in message(GOOD.encode("utf-16"))
    assert "Excel" in message(b"PK\x03\x04" + b"\x00" * 40)
    assert "UTF-8" in message(b"org_id,org_type\n\x98\x98\x98\n")


@pytest.mark.parametrize("content", [b"", b"   \n\n", "\ufeff".encode("utf-8")])
def test_empty_file(content):
    """Does an empty (or blank) file say it is empty?"""
    assert "празен" in message(content)


def test_header_only():
    """Does a file with only a header line say that it has no data rows?"""
    assert "няма нито един ред с данни" in message((LINES[0] + "\n\n,,,,,,,,,\n").encode("utf-8"))


def test_missing_and_unexpected_columns_are_named():
    """Are a misspelt and a missing column both named?"""
    text = message(GOOD.replace("staff_count", "staf_count", 1).encode("utf-8"))
    assert "Липсват колони: „staff_count“" in text
    assert "Неочаквани колони: „staf_count“" in text
    dropped = "\n".join(line.rsplit(",", 1)[0] for line in LINES)
    assert "„monitoring“" in message(dropped.encode("utf-8"))


def test_empty_rows_are_ignored_with_a_count():
    """Are wholly empty rows (blank or only separators) dropped, counted, and the line numbers still right?"""
    lines = LINES[:3] + ["", ",,,,,,,,,", "   "] + LINES[3:]
    frame = read_csv_upload(("\n".join(lines) + "\n").encode("utf-8"), TABLE)
    assert len(frame) == len(LINES) - 1
    assert frame.attrs["empty_rows"] == 3
    assert frame.attrs["notes"] == ["3 празни реда бяха пропуснати (редове без нито една попълнена клетка)."]
    assert frame.attrs["lines"][:3] == [2, 3, 7]


def test_non_numeric_score_names_column_and_line():
    """Does a word in a score column name that column, the file's line and the value?"""
    bad = LINES[:4] + ["ORG099,сдружение,Ямбол,да,2,3,много,1,1,2"] + LINES[4:]
    text = message("\n".join(bad).encode("utf-8"))
    assert "„eu_funds“" in text and "ред 5" in text and "„много“" in text


def test_empty_required_cell_and_ragged_row():
    """Are an empty required cell and a row with an extra field both located by line?"""
    bad = LINES[:2] + ["ORG099,,Ямбол,да,2,3,1,1,1,2"]
    assert "„org_type“ е празна на ред 3" in message("\n".join(bad).encode("utf-8"))
    ragged = LINES[:2] + ["ORG099,сдружение,Ямбол,да,2,3,1,1,1,2,9"]
    assert "Ред 3" in message("\n".join(ragged).encode("utf-8"))


def test_good_file_after_bad_ones_works():
    """Does nothing from a refused file linger: a good file read afterwards is complete?"""
    for bad in (GOOD.encode("cp1251"), b"", GOOD.replace("org_id", "id", 1).encode("utf-8")):
        message(bad)
    assert len(read_csv_upload(GOOD.encode("utf-8"), TABLE)) == len(LINES) - 1


def test_unknown_table():
    """Is a table the kit does not have refused in Bulgarian?"""
    with pytest.raises(KitError, match="Няма таблица"):
        read_csv_upload(GOOD.encode("utf-8"), "no_such_table")
