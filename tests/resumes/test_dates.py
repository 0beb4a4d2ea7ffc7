from datetime import date

import pytest

from portal.resumes.dates import find_date_range, union_months, years_of_experience


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Jan 2019 – Present", "2019-01", None),
        ("January 2019 - Current", "2019-01", None),
        ("2019-01 to 2021-06", "2019-01", "2021-06"),
        ("03/2018 - 12/2020", "2018-03", "2020-12"),
        ("2015–2017", "2015-01", "2017-12"),
        ("2015 — 2017", "2015-01", "2017-12"),
        ("Summer 2020", "2020-06", "2020-08"),
        ("Winter 2020", "2020-12", "2021-02"),
        ("Sept. 2016 – Mar. 2018", "2016-09", "2018-03"),
        ("Senior Engineer | Acme | 2019–2021", "2019-01", "2021-12"),
        ("Engineer at Acme (Feb 2012 − now)", "2012-02", None),
        ("Jun – Aug 2019", "2019-06", "2019-08"),
        ("Summer 2019 – Fall 2020", "2019-06", "2020-11"),
        ("2020.03 ~ 2022.11", "2020-03", "2022-11"),
        ("May 2021 until today", "2021-05", None),
    ],
)
def test_find_date_range(text, start, end):
    rng = find_date_range(text)
    assert rng is not None, text
    assert (rng.start_str, rng.end_str) == (start, end)


@pytest.mark.parametrize(
    "text",
    ["Cut latency by 40% in 2019", "+49 30 12345678", "Python 3.11", "2021 - 2019", "ISO 9001"],
)
def test_not_a_range(text):
    assert find_date_range(text) is None


def test_union_counts_overlaps_once():
    a = ((2018, 1), (2019, 12))  # 24 months
    b = ((2019, 1), (2020, 12))  # overlaps 12 months with a
    c = ((2022, 1), (2022, 6))  # separate 6 months
    assert union_months([a, b, c]) == 36 + 6
    assert union_months([b, a]) == 36
    assert union_months([((2020, 1), (2020, 1)), ((2020, 2), (2020, 2))]) == 2


def test_years_present_uses_injected_today():
    today = date(2026, 1, 15)
    assert years_of_experience([("2025-02", None)], today=today) == 1.0
    assert years_of_experience([("2020-01", "2020-12"), ("2020-06", None)], today=today) == 6.1
    assert years_of_experience([], today=today) == 0.0
    # A job starting in the future adds nothing; one ending in the future is clipped to today.
    assert years_of_experience([("2027-01", None)], today=today) == 0.0
    assert years_of_experience([("2025-01", "2030-12")], today=today) == 1.1


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Jan '19 – Mar '21", "2019-01", "2021-03"),
        ("(Apr ’21 - Present)", "2021-04", None),
        ("Dec '98 - Jun '03", "1998-12", "2003-06"),
        ("JULY 2017 – JUNE 2020", "2017-07", "2020-06"),
        ("nov 2020 - present", "2020-11", None),
        ("2018/09 – 2021/08", "2018-09", "2021-08"),
        ("September 2018 to present", "2018-09", None),
        ("(2014-2016)", "2014-01", "2016-12"),
        ("2016 – now", "2016-01", None),
    ],
)
def test_apostrophe_years_and_other_casings(text, start, end):
    rng = find_date_range(text)
    assert rng is not None, text
    assert (rng.start_str, rng.end_str) == (start, end)


def test_apostrophe_year_needs_a_month():
    assert find_date_range("scored '19 - '21") is None
