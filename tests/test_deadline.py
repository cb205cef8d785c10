"""Deadlines: the earlier of received + 30 days and one calendar month (Regulation 1182/71).

Every expected date below was worked out by hand from the rules in helpdesk/deadline.py's docstring:
- the 30-day promise is never moved for weekends or holidays;
- the month ends on the same-numbered day of the next month (or that month's last day), and a month
  ending on a Saturday, Sunday or Dutch public holiday runs on to the next working day;
- the day of receipt is the date in Amsterdam, not in UTC.
Weekdays used: 1 Jan 2026 is a Thursday, 1 Jan 2027 a Friday, 1 Jan 2028 a Saturday, 1 Jan 2030 a Tuesday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from helpdesk.deadline import days_left, deadline, dutch_public_holidays, easter, one_month_after

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at_noon(day: date) -> datetime:
    """A receipt time that is the same calendar day in UTC and in Amsterdam."""
    return datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("received", "due", "why"),
    [
        # +30 days = Sat 14 Feb; the month ends Sun 15 Feb -> Mon 16 Feb. The 30 days win, unrolled.
        (date(2026, 1, 15), date(2026, 2, 14), "30 days beat the month"),
        # February has no 30th: the month ends Sat 28 Feb -> Mon 2 Mar; +30 days = Sun 1 Mar wins.
        (date(2026, 1, 30), date(2026, 3, 1), "30 Jan 2026: 30 days end on a Sunday and still win"),
        # Month ends Sat 28 Feb 2026 -> Mon 2 Mar; +30 days = Mon 2 Mar as well.
        (date(2026, 1, 31), date(2026, 3, 2), "31 Jan 2026: the rolled month equals the 30 days"),
        # Month ends Sun 28 Feb 2027 -> Mon 1 Mar; +30 days = Tue 2 Mar. The rolled month wins.
        (date(2027, 1, 31), date(2027, 3, 1), "31 Jan 2027: month rolls past Sunday and still wins"),
        # Leap year: month ends Tue 29 Feb 2028 (a working day); +30 days = Wed 1 Mar.
        (date(2028, 1, 31), date(2028, 2, 29), "31 Jan 2028: the month ends on 29 February"),
        # Month ends Thu 28 Feb 2030 (a working day); +30 days = Sat 2 Mar.
        (date(2030, 1, 31), date(2030, 2, 28), "31 Jan 2030: the month is two days shorter"),
        # +30 days = Sat 28 Feb 2026; the month (no 29 Feb) ends Sat 28 Feb -> Mon 2 Mar.
        (date(2026, 1, 29), date(2026, 2, 28), "29 Jan 2026: the 30 days end on a Saturday and win"),
        # December into January: +30 days = Tue 19 Jan 2027; the month ends Wed 20 Jan 2027.
        (date(2026, 12, 20), date(2027, 1, 19), "December receipt, deadline in the next year"),
        # +30 days = Sat 30 Jan 2027; the month ends Sun 31 Jan -> Mon 1 Feb.
        (date(2026, 12, 31), date(2027, 1, 30), "31 December, 30 days into January"),
        # +30 days = Thu 31 Dec 2026; the month ends on New Year's Day 2027 (Fri) -> Mon 4 Jan.
        (date(2026, 12, 1), date(2026, 12, 31), "1 December: the month would roll past New Year"),
        # +30 days = Mon 27 Apr 2026, King's Day: the promise is not moved for a holiday.
        (date(2026, 3, 28), date(2026, 4, 27), "30 days end on King's Day and are not rolled"),
    ],
)
def test_deadline_is_the_earlier_of_thirty_days_and_one_month(received: date, due: date, why: str) -> None:
    assert deadline(at_noon(received), AMSTERDAM) == due, why


@pytest.mark.parametrize(
    ("received_at", "local_day", "due"),
    [
        # Winter time (CET = UTC+1) lasts until 01:00 UTC on Sunday 29 March 2026.
        # 22:59 UTC is 23:59 on Saturday 28 March in Amsterdam: +30 days = Mon 27 Apr (month: Tue 28 Apr).
        (datetime(2026, 3, 28, 22, 59, tzinfo=UTC), date(2026, 3, 28), date(2026, 4, 27)),
        # 23:01 UTC is 00:01 on Sunday 29 March in Amsterdam, though still the 28th in UTC:
        # +30 days = Tue 28 Apr (month: Wed 29 Apr).
        (datetime(2026, 3, 28, 23, 1, tzinfo=UTC), date(2026, 3, 29), date(2026, 4, 28)),
        # 23:30 UTC on the 28th is 00:30 CET on 29 March: the clocks only change at 02:00 local time.
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 29), date(2026, 4, 28)),
        # Summer time (CEST = UTC+2): 21:30 UTC is 23:30 on Thu 30 April -> +30 days = Sat 30 May
        # (month: Sat 30 May -> Mon 1 June).
        (datetime(2026, 4, 30, 21, 30, tzinfo=UTC), date(2026, 4, 30), date(2026, 5, 30)),
        # 22:30 UTC is 00:30 on Fri 1 May in Amsterdam: +30 days = Sun 31 May (month: Mon 1 June).
        (datetime(2026, 4, 30, 22, 30, tzinfo=UTC), date(2026, 5, 1), date(2026, 5, 31)),
        # 23:30 UTC on 14 January is 00:30 CET on the 15th: the same deadline as any mail of 15 January.
        (datetime(2026, 1, 14, 23, 30, tzinfo=UTC), date(2026, 1, 15), date(2026, 2, 14)),
    ],
)
def test_the_day_of_receipt_is_the_amsterdam_date(received_at: datetime, local_day: date, due: date) -> None:
    assert received_at.astimezone(AMSTERDAM).date() == local_day  # the premise of the row
    assert deadline(received_at, AMSTERDAM) == due


@pytest.mark.parametrize(
    ("received", "month_ends", "why"),
    [
        (date(2027, 3, 5), date(2027, 4, 5), "5 March -> 5 April (a Monday), the regulation's own example"),
        (date(2026, 8, 31), date(2026, 9, 30), "31 August -> 30 September, the month has no 31st"),
        (date(2026, 3, 5), date(2026, 4, 7), "5 April 2026 is Easter Sunday, 6 April Easter Monday"),
        (date(2026, 3, 27), date(2026, 4, 28), "Mon 27 April 2026 is King's Day"),
        (date(2026, 4, 5), date(2026, 5, 6), "Tue 5 May 2026 is Liberation Day"),
        (date(2026, 4, 14), date(2026, 5, 15), "Thu 14 May 2026 is Ascension Day (Easter + 39)"),
        (date(2026, 4, 25), date(2026, 5, 26), "Mon 25 May 2026 is Whit Monday (Easter + 50)"),
        (date(2026, 11, 25), date(2026, 12, 28), "Fri 25 and Sat 26 Dec are Christmas, then a Sunday"),
        (date(2026, 12, 1), date(2027, 1, 4), "Fri 1 Jan 2027 is New Year's Day, then a weekend"),
        (date(2025, 3, 26), date(2025, 4, 28), "Sat 26 April 2025 (King's Day), then a Sunday"),
        # Good Friday is not an "algemeen erkende feestdag" (the docstring says so): no roll.
        (date(2026, 3, 3), date(2026, 4, 3), "Fri 3 April 2026 is Good Friday, a working day here"),
    ],
)
def test_one_month_rolls_past_weekends_and_public_holidays(
    received: date, month_ends: date, why: str
) -> None:
    assert one_month_after(received) == month_ends, why


@pytest.mark.parametrize(
    ("year", "sunday"),
    [
        (2008, date(2008, 3, 23)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),  # the latest possible date
        (2285, date(2285, 3, 22)),  # the earliest possible date
    ],
)
def test_easter_sunday(year: int, sunday: date) -> None:
    assert easter(year) == sunday
    assert sunday.weekday() == 6


def test_dutch_public_holidays_2026() -> None:
    # Easter is 5 April 2026: Easter Monday 6 April, Ascension 14 May, Whit Monday 25 May.
    assert dutch_public_holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 4, 6),
        date(2026, 4, 27),
        date(2026, 5, 5),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 12, 25),
        date(2026, 12, 26),
    }


def test_kings_day_on_a_sunday_moves_to_saturday_the_26th() -> None:
    assert date(2025, 4, 27).weekday() == 6  # the premise: 27 April 2025 is a Sunday
    holidays = dutch_public_holidays(2025)
    assert date(2025, 4, 26) in holidays
    assert date(2025, 4, 27) not in holidays


@pytest.mark.parametrize(
    ("today", "left"),
    [
        (date(2026, 1, 15), 30),  # the day the mail arrived
        (date(2026, 2, 13), 1),
        (date(2026, 2, 14), 0),  # the deadline itself: still on time
        (date(2026, 2, 15), -1),  # overdue
        (date(2026, 3, 16), -30),
    ],
)
def test_days_left_counts_to_the_deadline(today: date, left: int) -> None:
    assert days_left(date(2026, 2, 14), today) == left
