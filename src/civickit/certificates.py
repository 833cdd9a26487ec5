"""Certificates of completion: one PDF per learner at or above a share of all points, in Bulgarian.

The share is over every assignment in the gradebook (released), after late penalties; a missing
submission counts 0. The text needs a font with Cyrillic: DejaVu Sans from Debian's fonts-dejavu-core.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import KitError
from .formatting import date_bg, number_bg

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # already there, not overwritten without --force
    below: list[tuple[str, float]] = field(default_factory=list)  # learner, share


def font_files(folder: Path = FONT_DIR) -> dict[str, Path]:
    paths = {style: folder / name for style, name in FONTS.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise KitError(f"Font {', '.join(missing)} not found (needed for Cyrillic in certificates): "
                       "install Debian's fonts-dejavu-core (`apt-get install fonts-dejavu-core`, also done by `make test`).")
    return paths


def shares(rows: list[dict]) -> dict[str, tuple[str, float]]:
    """learner -> (full name, share of all points) from gradesheet rows."""
    got: dict[str, list[float]] = {}
    names = {}
    for r in rows:
        total = got.setdefault(r["student_id"], [0.0, 0.0])
        total[0] += r["score"]
        total[1] += r["max_score"]
        names[r["student_id"]] = " ".join(v for v in (r["first_name"], r["last_name"]) if v) or r["student_id"]
    return {sid: (names[sid], s / m if m else 0.0) for sid, (s, m) in got.items()}


def render(path: Path, name: str, course: str, hours: int, day: date, fonts: dict[str, Path]) -> None:
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(f"Удостоверение: {course}")
    pdf.set_creator("civickit")
    for style, file in fonts.items():
        pdf.add_font("DejaVu", style, str(file))
    pdf.add_page()
    pdf.set_draw_color(21, 101, 192)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(38)
    pdf.set_font("DejaVu", "B", 34)
    pdf.cell(0, 16, "УДОСТОВЕРЕНИЕ", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 15)
    pdf.cell(0, 14, "за завършено обучение", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.cell(0, 10, "Удостоверява се, че", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 26)
    pdf.multi_cell(0, 14, name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 15)
    pdf.cell(0, 10, "завърши успешно курса", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 11, f"„{course}“", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 15)
    pdf.cell(0, 10, f"с продължителност {number_bg(hours)} учебни часа.", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(pdf.h - 45)
    pdf.cell(0, 8, f"Дата: {date_bg(day)}", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, "Обучител: ............................", align="R")
    tmp = path.with_suffix(".pdf.part")
    pdf.output(str(tmp))
    tmp.replace(path)  # a half-written file never takes the certificate's name


def issue(cohort, threshold: float, course: str, hours: int, day: date, force: bool = False,
          font_dir: Path = FONT_DIR) -> Outcome:
    """Writes certificates/<id>.pdf for every learner at or above threshold % of all points."""
    from .deadlines import refresh_late_penalties
    from .gradesheet import rows

    if not 0 <= threshold <= 100:
        raise KitError(f"--threshold {threshold} must be a percentage between 0 and 100.")
    fonts = font_files(font_dir)
    refresh_late_penalties(cohort.db_url, cohort.workspace)
    table = rows(cohort.db_url)
    if not table:
        raise KitError("No grades yet: release, collect and autograde at least one assignment first.")
    out = Outcome()
    folder = cohort.workspace / "certificates"
    folder.mkdir(parents=True, exist_ok=True)
    for sid, (name, share) in sorted(shares(table).items()):
        if share * 100 + 1e-9 < threshold:
            out.below.append((sid, share))
            continue
        path = folder / f"{sid}.pdf"
        if path.exists() and not force:
            out.kept.append(path)
            continue
        render(path, name, course, hours, day, fonts)
        out.written.append(path)
    return out
