"""Invented stakeholders of a regional initiative in Yambol district (seeded).

Every organisation is made up for the exercise; a name that resembles a real one is a
coincidence. Power and interest are scored 1-5 from sector-typical ranges. Run
`civickit data regenerate` after changing it; a test checks that the committed CSV is
exactly what this makes.
"""

from __future__ import annotations

import random

import pandas as pd

MUNICIPALITIES = ["Ямбол", "Тунджа", "Елхово", "Стралджа", "Болярово"]

# sector: (lowest power, highest power, lowest interest, highest interest)
RANGES = {
    "публичен": (3, 5, 2, 5),
    "граждански": (1, 3, 3, 5),
    "бизнес": (2, 5, 1, 4),
    "синдикат": (2, 4, 2, 5),
    "работодатели": (3, 5, 2, 5),
    "образование": (1, 3, 2, 5),
    "медии": (2, 4, 1, 2),  # the local media follow the initiative only from a distance
}

ORGANISATIONS = [
    ("Общинска агенция за развитие „Тунджа“", "публичен"),
    ("Общинско предприятие „Зелени площи“", "публичен"),
    ("Регионален център за социални услуги „Опора“", "публичен"),
    ("Общински младежки дом „Бъдеще“", "публичен"),
    ("Сдружение „Зелена Тунджа“", "граждански"),
    ("Фондация „Мост към общността“", "граждански"),
    ("Сдружение на родителите „Заедно“", "граждански"),
    ("Читалище „Нова искра 1912“", "граждански"),
    ("Сдружение за местно развитие „Бакаджишки хълм“", "граждански"),
    ("Доброволчески клуб „Ръка за помощ“", "граждански"),
    ("„Агро Долина“ ЕООД", "бизнес"),
    ("„Тракийска лоза“ ООД", "бизнес"),
    ("„Ямбол Текстил Дизайн“ ООД", "бизнес"),
    ("„Сакарски соларни системи“ АД", "бизнес"),
    ("Семеен хотел „Край езерото“", "бизнес"),
    ("Синдикален съюз „Труд и достойнство“ – регионален клон", "синдикат"),
    ("Учителски синдикат „Знание“ – клон Елхово", "синдикат"),
    ("Сдружение на занаятчиите „Майстор“", "работодатели"),
    ("Асоциация на работодателите „Тунджа бизнес“", "работодатели"),
    ("Съюз на земеделските производители „Сакарско поле“", "работодатели"),
    ("Професионална гимназия по земеделие „Нива“", "образование"),
    ("Средно училище „Светлина“", "образование"),
    ("Център за обучение на възрастни „Умения плюс“", "образование"),
    ("Радио „Тунджа вълна“", "медии"),
    ("Новинарски сайт „Ямбол днес онлайн“", "медии"),
]


def generate(seed: int = 2031) -> pd.DataFrame:
    """Invented stakeholders, ids S01..S25 in shuffled order; the same seed gives the same table."""
    rng = random.Random(seed)
    organisations = ORGANISATIONS[:]
    rng.shuffle(organisations)
    records = []
    for i, (name, sector) in enumerate(organisations, start=1):
        p_lo, p_hi, i_lo, i_hi = RANGES[sector]
        records.append(
            {
                "id": f"S{i:02d}",
                "name": name,
                "sector": sector,
                "municipality": rng.choice(MUNICIPALITIES),
                "power": rng.randint(p_lo, p_hi),
                "interest": rng.randint(i_lo, i_hi),
            }
        )
    return pd.DataFrame.from_records(records)
