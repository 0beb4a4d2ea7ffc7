"""The public job board: open postings only, search, filters, pages, and the landing page."""

import re
from datetime import date
from xml.etree import ElementTree

import pytest
from sqlalchemy import event

from portal.extensions import db
from tests.postings.helpers import make_posting


def _titles(client, query=""):
    response = client.get(f"/jobs{query}")
    assert response.status_code == 200
    return re.findall(r'<h2><a href="/jobs/[^"]+">([^<]+)</a></h2>', response.get_data(True))


@pytest.fixture
def board(app, now):
    make_posting(
        "open",
        title="AI response rater",
        slug="rater",
        domains=[],
        pay_min_cents=2500,
        pay_max_cents=3500,
        hours_min=10,
        hours_max=20,
    )
    make_posting(
        "open",
        title="Medical reviewer",
        slug="medical",
        domains=["medicine"],
        pay_min_cents=4000,
        pay_max_cents=6000,
        hours_min=15,
        hours_max=30,
        qualifications="- Licensed physician or pharmacist",
    )
    make_posting(
        "open",
        title="Spanish-language rater",
        slug="spanish",
        domains=["languages"],
        languages=["es"],
        pay_min_cents=2200,
        pay_max_cents=3000,
        hours_min=5,
        hours_max=15,
    )
    make_posting("draft", title="Draft posting", slug="draft")
    make_posting("paused", title="Paused posting", slug="paused")
    make_posting("closed", title="Closed posting", slug="closed")
    make_posting("open", title="Expired posting", slug="expired", valid_through=date(2026, 11, 1))
    db.session.commit()


def test_the_board_lists_open_postings_only(client, board):
    assert sorted(_titles(client)) == [
        "AI response rater",
        "Medical reviewer",
        "Spanish-language rater",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=medical", ["Medical reviewer"]),
        ("?q=PHARMACIST", ["Medical reviewer"]),  # the sections' text is searched too
        ("?q=rater+spanish", ["Spanish-language rater"]),  # every word must match
        ("?q=%25", []),  # LIKE wildcards are text
        ("?q=_", []),
        ("?domain=medicine", ["Medical reviewer"]),
        ("?domain=languages", ["Spanish-language rater"]),
        ("?language=es", ["Spanish-language rater"]),
        ("?min_pay=36", ["Medical reviewer"]),
        ("?min_pay=35", ["AI response rater", "Medical reviewer"]),
        ("?hours=8", ["Spanish-language rater"]),
        ("?hours=10", ["AI response rater", "Spanish-language rater"]),
        ("?domain=medicine&min_pay=70", []),
        ("?domain=astrology&language=xx&min_pay=lots&hours=-3", None),  # ignored: all three
    ],
)
def test_search_and_filters(client, board, query, expected):
    if expected is None:
        expected = ["AI response rater", "Medical reviewer", "Spanish-language rater"]
    assert sorted(_titles(client, query)) == sorted(expected)


def test_the_board_is_paginated(client, app, now):
    for n in range(25):
        make_posting("open", title=f"Posting {n:02d}", slug=f"p{n:02d}")
    db.session.commit()
    first, second = _titles(client), _titles(client, "?page=2")
    assert len(first) == 20 and len(second) == 5
    assert not set(first) & set(second)
    assert "Page 1 of 2 · 25 in all" in client.get("/jobs").get_data(True)
    assert _titles(client, "?page=9") == []
    # A filter is kept by the pager's links.
    for n in range(22):
        make_posting("open", title=f"Medic {n}", slug=f"m{n}", domains=["medicine"])
    db.session.commit()
    page = client.get("/jobs?domain=medicine").get_data(True)
    assert "domain=medicine" in page.split('class="pager"')[1]


def _statements(client, path):
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_board_runs_the_same_statements_for_5_or_50_postings(client, app, now):
    for n in range(5):
        make_posting("open", slug=f"a{n}", domains=["medicine"], locations=["US"])
    db.session.commit()
    few = _statements(client, "/jobs")
    for n in range(45):
        make_posting("open", slug=f"b{n}", domains=["medicine"], locations=["US"])
    db.session.commit()
    assert _statements(client, "/jobs") == few
    assert few <= 3


def test_the_landing_page_lists_the_open_postings(client, board):
    page = client.get("/").get_data(True)
    assert 'href="/jobs/medical"' in page and "Medical reviewer" in page
    assert "$40.00–$60.00 an hour" in page and "15–30 hours a week" in page
    assert "Draft posting" not in page and "Closed posting" not in page


def test_the_sitemap_lists_the_open_postings(client, board):
    response = client.get("/jobs/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.get_data())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = sorted(loc.text for loc in root.findall("s:url/s:loc", ns))
    assert locs == [
        "http://localhost/jobs/medical",
        "http://localhost/jobs/rater",
        "http://localhost/jobs/spanish",
    ]
    assert all(len(m.text) == 10 for m in root.findall("s:url/s:lastmod", ns))
