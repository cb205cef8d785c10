"""Deadlines: when an answer is due, counted as the law and the policy say.

The clock starts when the mail reaches the mailbox. The deadline is the earlier of
- received + 30 days (the privacy policy's promise: "binnen 30 dagen"), and
- one calendar month under Regulation 1182/71 (GDPR art. 12(3)): the day of receipt is not
  counted; the period ends on the same-numbered day of the next month, or that month's last
  day when it has no such day; a period ending on a Saturday, Sunday or public holiday runs to
  the next working day.
Days are counted in the organisation's time zone.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

POLICY_DAYS = 30


def deadline(received_at: datetime, tz: ZoneInfo) -> date:
    """The last day on which the answer is due."""
    received = received_at.astimezone(tz).date()
    return min(received + timedelta(days=POLICY_DAYS), one_month_after(received))


def one_month_after(received: date) -> date:
    """The end of a one-month period under Regulation 1182/71, rolled past weekends and holidays."""
    return months_after(received, 1)


def months_after(received: date, months: int) -> date:
    """The end of a period of `months` months under Regulation 1182/71 (weekends, holidays rolled)."""
    year, month = divmod(received.month - 1 + months, 12)
    year, month = received.year + year, month + 1
    end = date(year, month, min(received.day, calendar.monthrange(year, month)[1]))
    while end.weekday() >= 5 or end in dutch_public_holidays(end.year):
        end += timedelta(days=1)
    return end


MAX_EXTENSION_MONTHS = 2  # GDPR art. 12(3): "by two further months where necessary"


def extended_deadline(received_at: datetime, tz: ZoneInfo, months: int) -> date:
    """The deadline after an extension by `months` (1 or 2) more months, counted from receipt."""
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise ValueError(f"an extension is 1 or {MAX_EXTENSION_MONTHS} months, not {months}")
    return months_after(received_at.astimezone(tz).date(), 1 + months)


def days_left(due: date, today: date) -> int:
    """Whole days until the deadline; 0 on the day itself, negative once overdue."""
    return (due - today).days


def easter(year: int) -> date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def dutch_public_holidays(year: int) -> set[date]:
    """The "algemeen erkende feestdagen" of the Algemene termijnenwet (art. 3) for `year`.

    Easter Sunday and Whit Sunday are Sundays anyway; Good Friday is not one of them.
    """
    easter_sunday = easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday, King's Day moves to Saturday the 26th
        kings_day = date(year, 4, 26)
    return {
        date(year, 1, 1),
        easter_sunday + timedelta(days=1),  # tweede paasdag
        kings_day,
        date(year, 5, 5),  # bevrijdingsdag
        easter_sunday + timedelta(days=39),  # hemelvaartsdag
        easter_sunday + timedelta(days=50),  # tweede pinksterdag
        date(year, 12, 25),
        date(year, 12, 26),
    }
