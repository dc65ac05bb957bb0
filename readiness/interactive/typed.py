"""What people type for numbers and dates, read into the value the file stores.

`5,000`, `$3`, `20 %` for a number; `2027-01-31`, `today`, `tomorrow`, `+2w`, `+10d`, `+1m`, `in 2 weeks`,
`next friday` for a date, relative to the walk's today (--today when given). Each function returns the value and
raises ValueError with what is expected, in words; the walk echoes the stored value back whenever it differs
from what was typed.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_CURRENCY = "$€£¥"
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_UNITS = {"d": "day", "w": "week", "m": "month", "y": "year"}
_RELATIVE = re.compile(r"^(?:\+\s*(\d+)\s*([dwmy])|in\s+(\d+|a|an|one)\s+(day|week|month|year)s?)$")


def number_text(text: str, *, share: bool) -> str:
    """The number in what was typed, as Python reads it: '5,000' → '5000', '$3' → '3', '20 %' → '0.2' for a
    share (a fraction from 0 to 1); a '%' where no share is asked is refused."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace("_", "")
    cleaned = cleaned.lstrip(_CURRENCY) if cleaned[:1] in _CURRENCY else cleaned
    percent = cleaned.endswith("%")
    if percent:
        if not share:
            raise ValueError(f"'{text.strip()}' is a percentage; a number is needed here")
        cleaned = cleaned[:-1]
    if "," in cleaned:
        if not _THOUSANDS.match(cleaned):
            raise ValueError(f"'{text.strip()}' is not a number; write thousands as 5,000 or 5000")
        cleaned = cleaned.replace(",", "")
    if percent:
        try:
            return repr(float(cleaned) / 100)
        except ValueError:
            raise ValueError(f"'{text.strip()}' is not a percentage") from None
    return cleaned


def parse_date(text: str, today: date) -> date:
    """A date as typed: ISO, or relative to `today`."""
    typed = " ".join(text.strip().lower().split())
    if typed == "today":
        return today
    if typed == "tomorrow":
        return today + timedelta(days=1)
    if typed.startswith("next ") and typed[5:] in _DAYS:
        ahead = (_DAYS.index(typed[5:]) - today.weekday()) % 7
        return today + timedelta(days=ahead or 7)
    if typed in _DAYS:
        return today + timedelta(days=((_DAYS.index(typed) - today.weekday()) % 7) or 7)
    found = _RELATIVE.match(typed)
    if found:
        count_text = found.group(1) or found.group(3)
        count = 1 if count_text in ("a", "an", "one") else int(count_text)
        unit = _UNITS[found.group(2)] if found.group(2) else found.group(4)
        return _later(today, count, unit)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"'{text.strip()}' is not a date; type 2027-01-31, +2w, in 10 days, next friday or tomorrow"
        ) from None


def _later(today: date, count: int, unit: str) -> date:
    if count > 100 * 366:
        raise ValueError("that is too far ahead to be a date")
    if unit == "day":
        return today + timedelta(days=count)
    if unit == "week":
        return today + timedelta(weeks=count)
    months = today.month - 1 + count * (12 if unit == "year" else 1)
    year, month = today.year + months // 12, months % 12 + 1
    if year > 9999:
        raise ValueError("that is too far ahead to be a date")
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))  # Jan 31 + 1m: Feb 28
