"""Invented links between the invented stakeholders of stakeholders_synthetic (seeded).

Each row is one link: a joint project, a membership (source is a member of target) or
funding (source funds target). A few organisations are left without any link on purpose.
Run `civickit data regenerate` after changing it; a test checks the committed CSV.
"""

from __future__ import annotations

import random

import pandas as pd

from .stakeholders_synthetic import generate as generate_stakeholders

ISOLATED = 3  # organisations deliberately left out of every link
LINKS = 32

# Who can fund whom and who can be a member of whom (by sector).
FUNDERS = {"публичен", "бизнес", "работодатели"}
FUNDED = {"граждански", "образование", "медии"}
MEMBER_OF = {"бизнес": "работодатели", "граждански": "граждански", "образование": "граждански"}
# Public bodies and networks of civil society take part in more joint projects.
WEIGHT = {"публичен": 4, "граждански": 3, "работодатели": 2}


def generate(seed: int = 2032) -> pd.DataFrame:
    """Invented links; the same seed (and the same stakeholders table) gives the same table."""
    rng = random.Random(seed)
    people = generate_stakeholders()
    sector = dict(zip(people["id"], people["sector"]))
    ids = sorted(sector)
    left_out = set(rng.sample(ids, ISOLATED))
    active = [i for i in ids if i not in left_out]
    weights = [WEIGHT.get(sector[i], 1) for i in active]
    records, seen = [], set()
    while len(records) < LINKS:
        source, target = rng.choices(active, weights=weights, k=2)
        pair = frozenset((source, target))
        if source == target or pair in seen:
            continue
        s, t = sector[source], sector[target]
        if s in FUNDERS and t in FUNDED and rng.random() < 0.9:
            kind = "финансиране"
        elif MEMBER_OF.get(s) == t and rng.random() < 0.9:
            kind = "членство"
        else:
            kind = "съвместен проект"
        seen.add(pair)
        records.append({"source": source, "target": target, "kind": kind})
    return pd.DataFrame.from_records(records)
