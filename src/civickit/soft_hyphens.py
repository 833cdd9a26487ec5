"""Soft hyphens in long Bulgarian words, for labels too narrow for them (the JupyterLab launcher's cards).

A card is about 14 letters wide and JupyterLab breaks an overlong word wherever it runs out of room
("общественопо / лезната"). Chromium has no Bulgarian hyphenation dictionary offline, but it honours
soft hyphens (U+00AD): it breaks only there, shows a hyphen at the break, and hides them otherwise.
The breaks follow simple syllable rules (V-CV, VC-CV, V-V), which are right for most words and never
leave fewer than three letters on either side.
"""

from __future__ import annotations

import re

SOFT_HYPHEN = "\u00ad"
VOWELS = frozenset("аеиоуъюяѝ")
MIN_PART = 3
WORD = re.compile(r"[А-Яа-яЍѝ]+")


def break_points(word: str) -> list[int]:
    """Indexes i where the word may break before word[i]."""
    w = word.lower()
    found = []
    for i in range(MIN_PART, len(w) - MIN_PART + 1):
        left, right = w[:i], w[i:]
        if not (VOWELS & set(left) and VOWELS & set(right)):
            continue
        before, at, after = w[i - 1], w[i], w[i + 1]
        if before in VOWELS and at not in VOWELS and at != "й" and after in VOWELS:
            found.append(i)  # по-ле: a single consonant starts the next syllable
        elif (before not in VOWELS and at not in VOWELS and before not in "йьъ" and at != "ь"
              and w[i - 2] in VOWELS and VOWELS & set(right[:3])):
            found.append(i)  # кон-сул: two consonants part
        elif before in VOWELS and at in VOWELS:
            found.append(i)  # ци-а
    return found


def hyphenate_bg(text: str, min_length: int = 11) -> str:
    """`text` with soft hyphens in every Cyrillic word of at least `min_length` letters."""
    def one(match: re.Match) -> str:
        word = match.group(0)
        if len(word) < min_length:
            return word
        for i in reversed(break_points(word)):
            word = word[:i] + SOFT_HYPHEN + word[i:]
        return word

    return WORD.sub(one, text)
