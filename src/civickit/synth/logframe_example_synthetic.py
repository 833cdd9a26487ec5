"""An invented logframe of a 12-month project of an invented читалище in Yambol region (seeded).

The table is written to be reviewed: it has deliberate flaws a learner should find —
a result that no activity leads to (R4), an indicator without a target (R2), one without
a baseline (S1) and an indicator that cannot be measured (R3: "ниска" → "висока").
Run `civickit data regenerate` after changing it; a test checks the committed CSV.
"""

from __future__ import annotations

import random

import pandas as pd

COLUMNS = ["level", "item_id", "text", "indicator", "baseline", "target", "unit", "source_of_verification", "parent_id"]


def generate(seed: int = 2031) -> pd.DataFrame:
    """The invented logframe; the seed only varies the baselines and targets, never the flaws."""
    rng = random.Random(seed)
    share_before = rng.randint(9, 14)
    trained = rng.choice([60, 72, 80])
    volunteers = rng.choice([8, 10, 12])
    scanned = rng.choice([400, 500, 600])
    rows = [
        ("обща цел", "G1", "По-активно участие на възрастните хора от общината в обществения живот",
         "Дял на жителите над 65 години, посетили поне една проява на читалището за година",
         str(share_before), str(share_before + rng.randint(5, 9)), "%", "Годишен отчет на читалището", ""),
        ("конкретна цел", "S1", "Възрастни хора от пет села ползват електронни административни услуги",
         "Брой участници, подали поне едно заявление онлайн до края на проекта",
         "", str(trained // 2), "души", "Анкета с участниците три месеца след курса", "G1"),
        ("резултат", "R1", f"{trained} възрастни хора са завършили курс по дигитални умения",
         "Брой участници с удостоверение за завършен курс",
         "0", str(trained), "души", "Присъствени списъци и издадени удостоверения", "S1"),
        ("резултат", "R2", f"{volunteers} младежи доброволци помагат на възрастните като наставници",
         "Брой доброволци, водили поне три занятия с наставляван",
         "0", "", "души", "Дневник на доброволците", "S1"),
        ("резултат", "R3", "Жителите знаят за новите услуги на читалището",
         "По-добра информираност на жителите",
         "ниска", "висока", "", "Впечатления на екипа", "S1"),
        ("резултат", "R4", "Архивът на читалището е дигитализиран и публикуван онлайн",
         "Брой сканирани и описани документа",
         "0", str(scanned), "документа", "Онлайн каталог на архива", "S1"),
        ("дейност", "A1.1", "Набиране на участници в петте села", "", "", "", "", "", "R1"),
        ("дейност", "A1.2", "Провеждане на курсове по 12 часа в читалището и в кметствата", "", "", "", "", "", "R1"),
        ("дейност", "A2.1", "Обучение и координация на доброволците", "", "", "", "", "", "R2"),
        ("дейност", "A3.1", "Информационна кампания: листовки, местна медия, социални мрежи", "", "", "", "", "", "R3"),
        ("дейност", "A3.2", "Заключителна проява с участниците и техните семейства", "", "", "", "", "", "R3"),
    ]
    return pd.DataFrame.from_records(rows, columns=COLUMNS)
