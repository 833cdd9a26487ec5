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


# One block of a certificate's text, centred: (font style "" or "B", size in pt, line height in mm, text).
Block = tuple[str, float, float, str]
GAP = ("", 0, 8, "")  # an empty line of 8 mm


def write_certificate(path: Path, title: str, blocks: list[Block], day: date, fonts: dict[str, Path],
                      signer: str = "Обучител") -> None:
    """A landscape A4 certificate: framed, the blocks centred from the top, date and signature line at the
    foot; written to a temporary file first. Shared by the completion and the trainer certificate."""
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(title)
    pdf.set_creator("civickit")
    for style, file in fonts.items():
        pdf.add_font("DejaVu", style, str(file))
    pdf.add_page()
    pdf.set_draw_color(21, 101, 192)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(38)
    for style, size, height, text in blocks:
        if not text:
            pdf.ln(height)
            continue
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(0, height, text, align="C", new_x="LMARGIN", new_y="NEXT")  # long names and titles wrap
    pdf.set_font("DejaVu", "", 15)
    pdf.set_y(pdf.h - 45)
    pdf.cell(0, 8, f"Дата: {date_bg(day)}", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, f"{signer}: ............................", align="R")
    tmp = path.with_suffix(".pdf.part")
    pdf.output(str(tmp))
    tmp.replace(path)  # a half-written file never takes the certificate's name


def render(path: Path, name: str, course: str, hours: int, day: date, fonts: dict[str, Path]) -> None:
    write_certificate(path, f"Удостоверение: {course}", [
        ("B", 34, 16, "УДОСТОВЕРЕНИЕ"),
        ("", 15, 14, "за завършено обучение"),
        GAP,
        ("", 15, 10, "Удостоверява се, че"),
        ("B", 26, 14, name),
        ("", 15, 10, "завърши успешно курса"),
        ("B", 18, 11, f"„{course}“"),
        ("", 15, 10, f"с продължителност {number_bg(hours)} учебни часа."),
    ], day, fonts)


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
