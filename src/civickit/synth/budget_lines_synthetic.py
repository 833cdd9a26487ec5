"""An invented budget of a 12-month project of an invented читалище in Yambol region (seeded).

It belongs to the project of the invented logframe (logframe_example_synthetic): every
line names the activity it pays for, except the management lines. Lines marked 'не' are
not eligible under the (invented) call: gifts and alcohol, and accounting that the flat
rate for indirect costs already covers. Quantities and unit costs are drawn from ranges.
Run `civickit data regenerate` after changing it; a test checks the committed CSV.
"""

from __future__ import annotations

import random

import pandas as pd

# category, description, unit, (quantity range), (unit cost range in EUR), activity_id, eligible
LINES = [
    ("персонал", "Ръководител на проекта (4 часа седмично)", "месец", (12, 12), (310, 360), "", "да"),
    ("персонал", "Обучител по дигитални умения", "час", (90, 110), (22, 28), "A1.2", "да"),
    ("персонал", "Координатор на доброволците (на половин работен ден)", "месец", (10, 12), (520, 600), "A2.1", "да"),
    ("услуги", "Счетоводно обслужване на проекта", "месец", (12, 12), (120, 160), "", "не"),
    ("услуги", "Кафе-паузи за участниците в курсовете", "човекодни", (150, 200), (3, 5), "A1.2", "да"),
    ("услуги", "Обучение на доброволците от външен експерт", "ден", (2, 3), (250, 320), "A2.1", "да"),
    ("пътни", "Пътуване на обучителя до петте села", "км", (900, 1400), (0.22, 0.3), "A1.2", "да"),
    ("пътни", "Превоз на участници до заключителната проява", "курс", (4, 6), (70, 95), "A3.2", "да"),
    ("материали", "Наръчник „Електронни услуги стъпка по стъпка“", "брой", (80, 100), (4, 7), "A1.2", "да"),
    ("материали", "Хартия, тонер и други консумативи", "комплект", (3, 5), (40, 65), "A1.2", "да"),
    ("материали", "Вино и ракия за заключителната проява", "бутилка", (20, 30), (6, 12), "A3.2", "не"),
    ("оборудване", "Лаптоп за учебната зала", "брой", (5, 6), (520, 680), "A1.2", "да"),
    ("оборудване", "Мултимедиен проектор", "брой", (1, 1), (380, 460), "A1.2", "да"),
    ("оборудване", "Таблети, подарени на участниците", "брой", (8, 10), (140, 190), "A1.2", "не"),
    ("комуникация", "Информационни листовки", "брой", (800, 1200), (0.08, 0.14), "A1.1", "да"),
    ("комуникация", "Платени публикации в местна медия", "брой", (3, 4), (60, 90), "A3.1", "да"),
    ("комуникация", "Покани и табела за заключителната проява", "комплект", (1, 1), (90, 140), "A3.2", "да"),
]


def generate(seed: int = 2031) -> pd.DataFrame:
    """The invented budget lines; the same seed always gives the same table."""
    rng = random.Random(seed)
    records = []
    for n, (category, description, unit, (q_lo, q_hi), (c_lo, c_hi), activity, eligible) in enumerate(LINES, start=1):
        records.append(
            {
                "line_id": f"B{n:02d}",
                "category": category,
                "description": description,
                "unit": unit,
                "quantity": rng.randint(q_lo, q_hi),
                "unit_cost_eur": rng.randint(round(c_lo * 100), round(c_hi * 100)) / 100,
                "activity_id": activity,
                "eligible": eligible,
            }
        )
    return pd.DataFrame.from_records(records)
