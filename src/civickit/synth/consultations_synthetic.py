"""Invented consultation records for the five municipalities of Yambol district (seeded).

Run `civickit data regenerate` after changing it; a test checks that the committed CSV
is exactly what this makes.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd

MUNICIPALITIES = ["Ямбол", "Тунджа", "Елхово", "Стралджа", "Болярово"]
TOPICS = [
    "Наредба за обществения ред",
    "Наредба за местните данъци",
    "Програма за развитие на читалищната дейност",
    "Наредба за управление на отпадъците",
    "Програма за младежта",
    "Наредба за символите и отличията",
    "План за интегрирано развитие – изменение",
    "Наредба за социалните услуги",
]
REASONS = [
    "Спешна промяна поради изменение в закон",
    "Краен срок по договор за финансиране",
]


def generate(seed: int = 2027, rows: int = 40) -> pd.DataFrame:
    """Invented consultation records; the same seed always gives the same table."""
    rng = random.Random(seed)
    records = []
    for i in range(1, rows + 1):
        published = date(2025, 1, 6) + timedelta(days=rng.randrange(0, 600))
        exceptional = rng.random() < 0.2
        length = rng.choice([14, 15, 20, 21]) if exceptional else rng.choice([10, 14, 21, 28, 30, 30, 30, 31, 35, 45])
        if exceptional and rng.random() < 0.3:
            length = rng.choice([7, 10, 12])  # too short even for an exceptional case
        received = rng.choice([0, 0, 1, 2, 3, 5, 8, 13])
        records.append(
            {
                "consultation_id": f"K{i:03d}",
                "municipality": rng.choice(MUNICIPALITIES),
                "title": rng.choice(TOPICS),
                "published": published.isoformat(),
                "closes": (published + timedelta(days=length)).isoformat(),
                "exceptional_reason": rng.choice(REASONS) if exceptional else "",
                "comments_received": received,
                "comments_accepted": rng.randint(0, received),
            }
        )
    return pd.DataFrame.from_records(records)

