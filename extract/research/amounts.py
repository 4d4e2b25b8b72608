"""Numbers as Chinese reports write them: 2595亿元, 12.5万元, 3200户, 5.4% (never 2.595e+12 or
4260000000.0). Values are stored in the base unit (yuan, persons); these scale them back to 万 or 亿
for reading. The map page does the same in JavaScript (datasette/static/map.js, `amount`).
"""
from __future__ import annotations

# units whose amounts read better in 万 and 亿 (money and large counts); % and rates never scale
SCALES = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
NO_SCALE = {"%", "‰", "个百分点", "个千分点", "岁", "年", "天", "月"}


def number(v: float, digits: int = 4) -> str:
    """At most `digits` significant digits, without a trailing .0 or exponent: 2595, 12.5, 0.35."""
    if v == 0:
        return "0"
    text = f"{v:.{digits}g}"
    if "e" in text:  # 1.234e+05 -> 123400
        text = f"{v:.0f}" if abs(v) >= 1 else f"{v:.6f}".rstrip("0").rstrip(".")
    return text


def human(value, unit: str | None, per: str | None = None, digits: int | None = None) -> str:
    """2595亿元 for (2.595e11, 元); 3200户; 6000元/户 for a rate; '' for no value. digits: significant
    digits (default 6 in 万/亿, 10 otherwise: a table shows the value as stated; a map label needs 4)."""
    if value in (None, ""):
        return ""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    unit = unit or ""
    word = ""
    if unit not in NO_SCALE:
        for scale, name in SCALES:
            if abs(v) >= scale:
                v, word = v / scale, name
                break
    digits = digits or (6 if word else 10)
    text = f"{number(v, digits)}{word}{unit}"
    return f"{text}/{per}" if per else text
