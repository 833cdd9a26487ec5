"""The population of the five municipalities of Yambol district by gender and broad age group (seeded; split invented).

Only the municipality totals are real: the 2021 census counts (7 September 2021) published by
NSI's regional office and quoted in the local press (Ямбол 61 766, Тунджа 21 167, Елхово 13 272,
Стралджа 10 370, Болярово 3118; district 109 693). The split of each total by gender and age
group is SYNTHETIC: NSI's census tables by municipality, gender and age were not checked for the
kit, so the shares below are invented around plausible values and jittered with a seeded
generator. Use the table to practise drawing an assembly by lot, never as census data.

Run `civickit data regenerate` after changing it; a test checks that the committed CSV
is exactly what this makes.
"""

from __future__ import annotations

import random

import pandas as pd

# Census 2021 totals (verified): Dariknews / Yambolpress citing NSI, 2022.
CENSUS_2021 = {"Ямбол": 61_766, "Тунджа": 21_167, "Елхово": 13_272, "Стралджа": 10_370, "Болярово": 3_118}
AGE_GROUPS = ["0–17", "18–29", "30–44", "45–64", "65 и повече"]
GENDERS = ["жени", "мъже"]

# Invented starting shares of each age group, per municipality (rural municipalities older).
BASE_AGE_SHARES = {
    "Ямбол": [0.17, 0.11, 0.19, 0.28, 0.25],
    "Тунджа": [0.16, 0.10, 0.16, 0.27, 0.31],
    "Елхово": [0.17, 0.10, 0.17, 0.28, 0.28],
    "Стралджа": [0.21, 0.12, 0.17, 0.25, 0.25],
    "Болярово": [0.15, 0.09, 0.15, 0.28, 0.33],
}
# Invented share of women in each age group (more women among the oldest).
BASE_WOMEN = [0.485, 0.48, 0.49, 0.505, 0.58]


def _largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Whole numbers proportional to weights that add up to total exactly."""
    exact = [total * w / sum(weights) for w in weights]
    whole = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in order[: total - sum(whole)]:
        whole[i] += 1
    return whole


def generate(seed: int = 2021) -> pd.DataFrame:
    """Rows municipality x gender x age group; each municipality's rows add up to its census 2021 total."""
    rng = random.Random(seed)
    records = []
    for municipality, total in CENSUS_2021.items():
        shares = [max(0.01, s * rng.uniform(0.9, 1.1)) for s in BASE_AGE_SHARES[municipality]]
        weights = []
        for age_share, women in zip(shares, BASE_WOMEN):
            w = min(0.7, max(0.3, women + rng.uniform(-0.015, 0.015)))
            weights += [age_share * w, age_share * (1 - w)]
        counts = iter(_largest_remainder(total, weights))
        for age_group in AGE_GROUPS:
            for gender in GENDERS:
                records.append({"municipality": municipality, "gender": gender, "age_group": age_group,
                                "population": next(counts)})
    frame = pd.DataFrame.from_records(records)
    frame["population"] = frame["population"].astype("Int64")
    return frame
