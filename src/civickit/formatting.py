"""Numbers, money and dates written the Bulgarian way (1 234 567,5; 26.11.2026 г.)."""

from __future__ import annotations

from datetime import date

NBSP = "\u00a0"  # keeps "1 200 000" and "€" on one line


def number_bg(value: float, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def money_bg(value: float, currency: str = "€", decimals: int = 0) -> str:
    return f"{number_bg(value, decimals)}{NBSP}{currency}"


def percent_bg(share: float, decimals: int = 0) -> str:
    return f"{number_bg(share * 100, decimals)}{NBSP}%"


def date_bg(day: date) -> str:
    return f"{day:%d.%m.%Y} г."
