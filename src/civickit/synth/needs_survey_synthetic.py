"""An invented needs survey of civil-society organisations in Yambol district (seeded).

About 120 made-up organisations (no real one is described) were "asked" how much they
need training in five areas, each scored 0 (no need) to 3 (great need). The table is
deliberately left dirty for a cleaning exercise:

* a few organisations appear twice (the same form typed in again, same org_id);
* municipality names carry stray spaces and upper/lower-case variants;
* organisations that did not respond have no scores, except a few that started
  the online form and never submitted it (partial scores, still "не");
* a few respondents skipped one question (one empty score).

Run `civickit data regenerate` after changing it; a test checks that the committed CSV
is exactly what this makes.
"""

from __future__ import annotations

import random

import pandas as pd

NEEDS = ["project_writing", "eu_funds", "partnerships", "consultations", "monitoring"]

MUNICIPALITIES = {  # name: (weight in the sample, chance of responding)
    "Ямбол": (40, 0.82),
    "Тунджа": (22, 0.62),
    "Елхово": (16, 0.72),
    "Стралджа": (12, 0.55),
    "Болярово": (10, 0.45),
}

ORG_TYPES = {  # type: (weight, staff range, base need per NEEDS)
    "сдружение": (34, (0, 8), [2, 2, 1, 1, 1]),
    "фондация": (10, (1, 10), [1, 2, 1, 1, 2]),
    "читалище": (28, (1, 4), [2, 2, 1, 0, 0]),
    "синдикат": (5, (2, 15), [1, 0, 1, 2, 2]),
    "организация на работодатели": (5, (1, 6), [0, 1, 2, 2, 1]),
    "МИГ": (3, (2, 5), [1, 1, 2, 1, 2]),
    "неформална група": (10, (0, 0), [2, 1, 2, 1, 0]),
}

TILT = {  # municipality: extra need per NEEDS (small towns lack EU-funding know-how, etc.)
    "Ямбол": [0, 0, 0, 1, 1],
    "Тунджа": [1, 0, 1, 0, 0],
    "Елхово": [0, 0, 1, 0, 0],
    "Стралджа": [0, 1, 0, 0, 0],
    "Болярово": [0, 1, 1, 0, 0],
}


def _spelling(rng: random.Random, name: str) -> str:
    """One of the ways a hurried data-entry person may type a municipality's name."""
    return rng.choice([f" {name}", f"{name} ", f"{name}  ", name.upper(), name.lower(), f" {name.lower()} ", f"{name.upper()} "])


def generate(seed: int = 2031, organisations: int = 120, duplicates: int = 6) -> pd.DataFrame:
    """Invented survey rows (dirty on purpose); the same seed always gives the same table."""
    rng = random.Random(seed)
    types, type_weights = list(ORG_TYPES), [spec[0] for spec in ORG_TYPES.values()]
    places, place_weights = list(MUNICIPALITIES), [spec[0] for spec in MUNICIPALITIES.values()]
    records = []
    for i in range(1, organisations + 1):
        org_type = rng.choices(types, type_weights)[0]
        place = rng.choices(places, place_weights)[0]
        low, high = ORG_TYPES[org_type][1]
        responded = rng.random() < MUNICIPALITIES[place][1]
        scores = [
            min(3, max(0, base + tilt + rng.choice([-1, 0, 0, 1])))
            for base, tilt in zip(ORG_TYPES[org_type][2], TILT[place])
        ]
        if responded:
            if rng.random() < 0.08:  # skipped one question
                scores[rng.randrange(len(NEEDS))] = ""
        elif rng.random() < 0.12:  # started the online form, never submitted it
            cut = rng.randint(1, len(NEEDS) - 1)
            scores = scores[:cut] + [""] * (len(NEEDS) - cut)
        else:
            scores = [""] * len(NEEDS)
        records.append(
            {
                "org_id": f"ORG{i:03d}",
                "org_type": org_type,
                "municipality": _spelling(rng, place) if rng.random() < 0.25 else place,
                "responded": "да" if responded else "не",
                "staff_count": rng.randint(low, high),
                **dict(zip(NEEDS, scores)),
            }
        )
    originals = [dict(r) for r in records]  # the form typed in twice: same org_id, later in the list
    for original in rng.sample(originals, duplicates):
        copy = dict(original, municipality=_spelling(rng, original["municipality"].strip().capitalize()))
        first = next(k for k, r in enumerate(records) if r["org_id"] == original["org_id"])
        records.insert(rng.randint(first + 1, len(records)), copy)
    return pd.DataFrame.from_records(records)
