"""Business-day SLA math: weekends do not count; due at 3, overdue at 5."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.recruiters.sla import business_days_between, entered_before, sla_status

MON = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
FRI = MON + timedelta(days=4)
SAT = MON + timedelta(days=5)
SUN = MON + timedelta(days=6)
NEXT_MON = MON + timedelta(days=7)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (MON, MON + timedelta(hours=8), 0),  # same day
        (MON, MON + timedelta(days=1), 1),
        (FRI, SAT, 0),
        (FRI, SUN, 0),
        (FRI, NEXT_MON, 1),  # the weekend does not count
        (SAT, NEXT_MON, 1),
        (SUN, NEXT_MON, 1),
        (MON, NEXT_MON, 5),
        (MON, MON + timedelta(days=14), 10),
        (FRI, FRI + timedelta(days=14), 10),
        (NEXT_MON, MON, 0),  # end before start
    ],
)
def test_business_days(start, end, days):
    assert business_days_between(start, end) == days


def test_due_at_three_overdue_at_five_across_a_weekend():
    entered = FRI  # Friday
    assert sla_status("assessed_passed", entered, FRI + timedelta(days=3)) == "ok"  # Mon: 1
    assert sla_status("assessed_passed", entered, FRI + timedelta(days=5)) == "due"  # Wed: 3
    assert sla_status("assessed_passed", entered, FRI + timedelta(days=6)) == "due"  # Thu: 4
    assert sla_status("assessed_passed", entered, FRI + timedelta(days=7)) == "overdue"  # Fri


def test_stages_that_wait_on_the_applicant_have_no_sla():
    assert sla_status("applied", MON, MON + timedelta(days=30)) is None
    assert sla_status("offered", MON, MON + timedelta(days=30)) is None
    assert sla_status("shortlisted", MON, MON + timedelta(days=30)) == "overdue"


def test_cutoff_agrees_with_the_count_for_every_start_and_end():
    for s in range(21):
        for e in range(s, s + 21):
            start = MON + timedelta(days=s, hours=5)
            now = MON + timedelta(days=e, hours=15)
            for n in (3, 5):
                assert (business_days_between(start, now) >= n) == (
                    start < entered_before(now, n)
                ), (start, now, n)
