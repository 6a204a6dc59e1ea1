"""Numbers as the lecture prints them: `7`, `0.25`, `-∞`, never `7.0` or `-0`."""

from __future__ import annotations

import math


def format_number(value: float, decimals: int = 2) -> str:
    """Whole numbers without a decimal point, others with at most `decimals` places; ±∞ as symbols."""
    if math.isinf(value):
        return "-∞" if value < 0 else "∞"
    if math.isnan(value):
        return "nan"
    rounded = round(value, decimals)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.{decimals}f}".rstrip("0").rstrip(".")


def format_term(value: float, decimals: int = 2) -> str:
    """A number inside an expression: negative numbers in brackets, as in `2×(-1)`."""
    text = format_number(value, decimals)
    return f"({text})" if text.startswith("-") and not math.isinf(value) else text
