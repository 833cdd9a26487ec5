"""Invented indicator records of a municipal programme in the five municipalities of Yambol district (seeded).

Every municipality reports the same eight indicators of one invented programme: a baseline, a
2026 target and the values measured in 2025 and 2026. `direction` says whether a higher value
is better ("up") or a lower one ("down"). Some rows are edge cases on purpose: a target equal to
the baseline ("keep it at 100 %"), a value not yet reported (empty cell), values past the target
and values that moved the wrong way. No real programme or municipality data is described.

Run `civickit data regenerate` after changing it; a test checks that the committed CSV
is exactly what this makes.
"""

from __future__ import annotations

import random

import pandas as pd

MUNICIPALITIES = ["Ямбол", "Тунджа", "Елхово", "Стралджа", "Болярово"]

# indicator_id, indicator, unit, direction, baseline range, change sought (in the direction's sense), decimals
INDICATORS = [
    ("P01", "Дял на домакинствата, които събират отпадъците разделно", "%", "up", (18, 35), (15, 25), 1),
    ("P02", "Средно време за отговор на сигнал от граждани", "дни", "down", (18, 30), (6, 12), 1),
    ("P03", "Участници в публичното обсъждане на бюджета", "брой", "up", (20, 80), (30, 70), 0),
    ("P04", "Заявления за достъп до информация, отговорени в срок", "%", "up", (60, 85), (10, 15), 1),
    ("P05", "Читалищни занимания за младежи през годината", "брой", "up", (8, 25), (8, 20), 0),
    ("P06", "Дял на улиците без работещо улично осветление", "%", "down", (20, 40), (10, 20), 1),
    ("P07", "Административни услуги, достъпни по електронен път", "брой", "up", (5, 15), (10, 20), 0),
    ("P08", "Населени места с редовно сметоизвозване", "%", "up", None, None, 1),
]

# How far along each municipality typically is in 2026 (share of the way from baseline to target).
PACE = {"Ямбол": 0.9, "Тунджа": 0.72, "Елхово": 0.8, "Стралджа": 0.45, "Болярово": 0.68}


def _row(rng: random.Random, municipality: str, spec: tuple) -> dict:
    indicator_id, text, unit, direction, base_range, change_range, decimals = spec
    if base_range is None:  # a "keep it" indicator: target 100 %, often already reached
        baseline = rng.choice([92.0, 96.0, 100.0, 100.0])
        target = 100.0
    else:
        baseline = float(rng.randint(*base_range))
        change = float(rng.randint(*change_range))
        target = baseline + change if direction == "up" else baseline - change
    share_2026 = rng.gauss(PACE[municipality], 0.28)
    share_2025 = share_2026 - abs(rng.gauss(0.25, 0.15))
    span = target - baseline if target != baseline else rng.choice([-2.0, 0.0, 0.0])

    def value(share: float) -> float:
        v = baseline + share * span
        v = min(v, 100.0) if unit == "%" else v
        return float(round(max(v, 0.0), decimals))

    value_2025 = value(share_2025)
    value_2026 = value(share_2026)
    if rng.random() < 0.06:  # not yet reported
        value_2026 = pd.NA
    return {
        "municipality": municipality,
        "indicator_id": indicator_id,
        "indicator": text,
        "unit": unit,
        "direction": direction,
        "baseline": baseline,
        "target": target,
        "value_2025": value_2025,
        "value_2026": value_2026,
    }


def generate(seed: int = 2026) -> pd.DataFrame:
    """Invented indicator records (5 municipalities x 8 indicators); the same seed always gives the same table."""
    rng = random.Random(seed)
    records = [_row(rng, m, spec) for m in MUNICIPALITIES for spec in INDICATORS]
    frame = pd.DataFrame.from_records(records)
    for column in ["baseline", "target", "value_2025", "value_2026"]:
        frame[column] = frame[column].astype("Float64")
    return frame
