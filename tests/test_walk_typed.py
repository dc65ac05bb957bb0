"""Numbers and dates as people type them, read the way the walk stores them."""

from __future__ import annotations

from datetime import date

import pytest

from readiness.interactive.typed import number_text, parse_date

SATURDAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("today", "2026-11-21"),
        ("tomorrow", "2026-11-22"),
        ("+10d", "2026-12-01"),
        ("+ 2 w", "2026-12-05"),
        ("in 2 weeks", "2026-12-05"),
        ("In  A  Week", "2026-11-28"),
        ("friday", "2026-11-27"),
        ("next friday", "2026-11-27"),
        ("next saturday", "2026-11-28"),  # today is a Saturday: the next one is a week away
        ("+1m", "2026-12-21"),
        ("in 3 months", "2027-02-21"),
        ("+1y", "2027-11-21"),
        ("2027-01-31", "2027-01-31"),
    ],
)
def test_dates_count_from_today(typed: str, stored: str) -> None:
    assert parse_date(typed, SATURDAY) == date.fromisoformat(stored)


def test_a_month_later_than_the_31st_is_the_last_day_of_a_shorter_month() -> None:
    assert parse_date("+1m", date(2027, 1, 31)) == date(2027, 2, 28)
    assert parse_date("+1m", date(2028, 1, 31)) == date(2028, 2, 29)


@pytest.mark.parametrize("typed", ["soon", "next week", "+2x", "in -2 days", "31/01/2027", "+999999999d", "+9999y"])
def test_what_is_not_a_date_says_what_is_expected(typed: str) -> None:
    with pytest.raises(ValueError, match=r"not a date|too far ahead"):
        parse_date(typed, SATURDAY)


@pytest.mark.parametrize(
    ("typed", "share", "read"),
    [
        ("5,000", False, "5000"),
        ("1,234,567.5", False, "1234567.5"),
        ("$3", False, "3"),
        ("€ 1,200", False, "1200"),
        ("20 %", True, "0.2"),
        ("7%", True, "0.07"),
        ("0.25", True, "0.25"),
        ("4000", False, "4000"),
    ],
)
def test_numbers_as_people_write_them(typed: str, share: bool, read: str) -> None:
    assert number_text(typed, share=share) == read


@pytest.mark.parametrize(
    ("typed", "share", "message"),
    [
        ("20 %", False, "is a percentage"),
        ("1,00", False, "write thousands as 5,000"),
        ("5,0000", False, "write thousands as 5,000"),
        ("abc%", True, "is not a percentage"),
    ],
)
def test_numbers_that_are_not_are_refused_in_words(typed: str, share: bool, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        number_text(typed, share=share)
