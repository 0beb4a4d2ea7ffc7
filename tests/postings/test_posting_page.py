"""A posting's public page: sanitised sections, the Apply button, canonical URL, Open Graph,
and schema.org JobPosting JSON-LD checked against the shapes search engines read."""

import json
import re
from datetime import date, datetime
from html.parser import HTMLParser

import pytest

from portal.extensions import db
from tests.postings.helpers import make_posting

ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2}))?$")


class Head(HTMLParser):
    """The page's <link>, <meta> and JSON-LD blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict] = []
        self.meta: dict[str, str] = {}
        self.jsonld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.jsonld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.jsonld[-1] += data


def _page(client, slug):
    response = client.get(f"/jobs/{slug}")
    head = Head()
    head.feed(response.get_data(as_text=True))
    return response, head


def _is_iso(value):
    if not isinstance(value, str) or not ISO_DATETIME.match(value):
        return False
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


def check_job_posting(data: dict) -> list[str]:
    """Problems with a JobPosting against schema.org's shapes (as Google's job listings read
    them): the required properties, their @types and value types. Empty: it is valid."""
    problems = []

    def need(obj, key, kind, where="JobPosting"):
        if key not in obj:
            problems.append(f"{where}.{key} is missing")
            return None
        if not isinstance(obj[key], kind) or isinstance(obj[key], bool) and kind is not bool:
            problems.append(f"{where}.{key} is {type(obj[key]).__name__}, not {kind}")
            return None
        return obj[key]

    if data.get("@context") not in ("https://schema.org", "https://schema.org/"):
        problems.append("@context is not schema.org")
    if data.get("@type") != "JobPosting":
        problems.append("@type is not JobPosting")
    for key in ("title", "description", "employmentType", "jobLocationType"):
        if need(data, key, str) == "":
            problems.append(f"{key} is empty")
    for key in ("datePosted", "validThrough"):
        if key in data and not _is_iso(data[key]):
            problems.append(f"{key} is not ISO 8601: {data[key]!r}")
    if "datePosted" not in data:
        problems.append("JobPosting.datePosted is missing")
    if data.get("employmentType") not in ("CONTRACTOR", ["CONTRACTOR"]):
        problems.append("employmentType is not CONTRACTOR")
    if data.get("jobLocationType") != "TELECOMMUTE":
        problems.append("jobLocationType is not TELECOMMUTE")
    need(data, "directApply", bool)
    org = need(data, "hiringOrganization", dict)
    if org is not None:
        if org.get("@type") != "Organization":
            problems.append("hiringOrganization is not an Organization")
        need(org, "name", str, "hiringOrganization")
        for key in ("url", "sameAs"):
            link = need(org, key, str, "hiringOrganization")
            if link and not link.startswith(("http://", "https://")):
                problems.append(f"hiringOrganization.{key} is not absolute")
    if "applicantLocationRequirements" in data:
        countries = data["applicantLocationRequirements"]
        if not isinstance(countries, list) or not countries:
            problems.append("applicantLocationRequirements is not a non-empty list")
        for country in countries or []:
            if country.get("@type") != "Country" or not re.fullmatch(
                r"[A-Z]{2}", str(country.get("name"))
            ):
                problems.append(f"not a Country: {country!r}")
    salary = need(data, "baseSalary", dict)
    if salary is not None:
        if salary.get("@type") != "MonetaryAmount":
            problems.append("baseSalary is not a MonetaryAmount")
        if not re.fullmatch(r"[A-Z]{3}", str(salary.get("currency"))):
            problems.append("baseSalary.currency is not ISO 4217")
        value = need(salary, "value", dict, "baseSalary")
        if value is not None:
            if value.get("@type") != "QuantitativeValue":
                problems.append("baseSalary.value is not a QuantitativeValue")
            low = need(value, "minValue", (int, float), "QuantitativeValue")
            high = need(value, "maxValue", (int, float), "QuantitativeValue")
            if low is not None and high is not None and not 0 < low <= high:
                problems.append("minValue/maxValue out of order")
            if value.get("unitText") not in ("HOUR", "DAY", "WEEK", "MONTH", "YEAR"):
                problems.append("unitText is not one of HOUR, DAY, WEEK, MONTH, YEAR")
    return problems


@pytest.fixture
def posting(app, now):
    posting = make_posting(
        "open",
        title="Medical reviewer",
        slug="medical-reviewer",
        summary="Rank answers to medical questions.",
        overview="Help a **medical** assistant answer safely.",
        pay_min_cents=4000,
        pay_max_cents=6050,
        hours_min=10,
        hours_max=20,
        locations=["US", "GB"],
        answer_days=3,
        valid_through=date(2026, 12, 31),
    )
    db.session.commit()
    return posting


def test_the_page_shows_the_posting(client, posting):
    response, _ = _page(client, "medical-reviewer")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h2>Role overview</h2><p>Help a <strong>medical</strong> assistant" in page
    assert "<h2>Key responsibilities</h2>" in page
    assert "$40.00–$60.50 an hour" in page and "10–20 hours a week" in page
    assert "Remote: United States, Britain (UK)" in page or "Remote: United States" in page
    assert "Within 3 business days of your application" in page


def test_the_json_ld_is_a_valid_job_posting(client, posting):
    _, head = _page(client, "medical-reviewer")
    assert len(head.jsonld) == 1
    data = json.loads(head.jsonld[0])
    assert check_job_posting(data) == []
    assert data["title"] == "Medical reviewer"
    assert "<strong>medical</strong>" in data["description"]
    assert data["datePosted"] == "2026-11-01T09:00:00Z"
    assert data["validThrough"] == "2026-12-31T23:59:59Z"
    assert data["employmentType"] == "CONTRACTOR"
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "US"},
        {"@type": "Country", "name": "GB"},
    ]
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 40,
            "maxValue": 60.5,
            "unitText": "HOUR",
        },
    }
    assert data["directApply"] is True
    assert data["hiringOrganization"]["name"] == "Talent Portal"
    assert data["url"] == "http://localhost/jobs/medical-reviewer"


def test_the_shape_check_catches_what_search_engines_refuse():
    good = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": "t",
        "description": "d",
        "datePosted": "2026-11-01",
        "employmentType": "CONTRACTOR",
        "jobLocationType": "TELECOMMUTE",
        "directApply": True,
        "hiringOrganization": {
            "@type": "Organization",
            "name": "o",
            "url": "https://o.example",
            "sameAs": "https://o.example",
        },
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "USD",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": 1,
                "maxValue": 2,
                "unitText": "HOUR",
            },
        },
    }
    assert check_job_posting(good) == []
    bad = json.loads(json.dumps(good))
    bad["datePosted"] = "1 Nov 2026"
    bad["baseSalary"]["value"]["minValue"] = "25"
    bad["baseSalary"]["value"]["unitText"] = "hourly"
    bad["applicantLocationRequirements"] = [{"@type": "Place", "name": "Anywhere"}]
    assert len(check_job_posting(bad)) == 4


def test_anywhere_and_no_end_date_leave_those_properties_out(client, app, now):
    make_posting("open", slug="anywhere", locations=[], valid_through=None)
    db.session.commit()
    _, head = _page(client, "anywhere")
    data = json.loads(head.jsonld[0])
    assert check_job_posting(data) == []
    assert "applicantLocationRequirements" not in data and "validThrough" not in data


def test_a_title_cannot_break_out_of_the_json_ld(client, app, now):
    make_posting(
        "open", slug="evil", title='Rater</script><script>alert("x")</script>', summary="<b>hi"
    )
    db.session.commit()
    response, head = _page(client, "evil")
    page = response.get_data(as_text=True)
    assert "</script><script>alert" not in page
    assert json.loads(head.jsonld[0])["title"] == 'Rater</script><script>alert("x")</script>'


def test_markdown_sections_are_sanitised(client, app, now):
    make_posting(
        "open",
        slug="unsafe",
        overview='<script>alert("x")</script> and <img src=x onerror=alert(1)>',
        responsibilities="[click](javascript:alert(1)) and [ok](https://example.org)",
    )
    db.session.commit()
    response, head = _page(client, "unsafe")
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page  # shown as text, not run
    assert 'href="javascript:' not in page and 'href="https://example.org"' in page
    description = json.loads(head.jsonld[0])["description"]
    assert "<script>" not in description and 'href="javascript:' not in description


def test_canonical_and_open_graph(client, posting):
    _, head = _page(client, "medical-reviewer")
    canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
    assert canonical == ["http://localhost/jobs/medical-reviewer"]
    assert head.meta["og:title"] == "Medical reviewer"
    assert head.meta["og:description"] == "Rank answers to medical questions."
    assert head.meta["og:url"] == "http://localhost/jobs/medical-reviewer"
    assert head.meta["og:type"] == "website"


def test_the_public_base_url_makes_the_canonical_address(client, app, posting):
    app.config["PUBLIC_BASE_URL"] = "https://jobs.example.com/"
    app.config["JOB_BOARD_ORGANIZATION_SAME_AS"] = "https://www.linkedin.com/company/example"
    _, head = _page(client, "medical-reviewer")
    canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
    assert canonical == ["https://jobs.example.com/jobs/medical-reviewer"]
    data = json.loads(head.jsonld[0])
    assert data["url"] == "https://jobs.example.com/jobs/medical-reviewer"
    assert data["hiringOrganization"]["url"] == "https://jobs.example.com/"
    assert data["hiringOrganization"]["sameAs"] == "https://www.linkedin.com/company/example"


def test_the_apply_button_leads_to_the_application(client, auth, posting):
    response, _ = _page(client, "medical-reviewer")
    assert 'href="/jobs/medical-reviewer/apply"' in response.get_data(as_text=True)
    auth.as_role("applicant")
    response, _ = _page(client, "medical-reviewer")
    assert 'href="/jobs/medical-reviewer/apply"' in response.get_data(as_text=True)


def test_staff_see_no_apply_button_and_admins_an_edit_link(client, auth, posting):
    auth.as_role("admin")
    page = client.get("/jobs/medical-reviewer").get_data(as_text=True)
    assert "/apply" not in page
    assert f'href="/admin/postings/{posting.id}/edit"' in page


def test_drafts_are_not_found(client, app, auth, now):
    make_posting("draft", slug="secret", title="Secret draft")
    db.session.commit()
    assert client.get("/jobs/secret").status_code == 404
    assert client.get("/jobs/no-such-posting").status_code == 404
    auth.as_role("recruiter")
    assert client.get("/jobs/secret").status_code == 404


def test_an_admin_previews_a_draft(client, app, auth, now):
    make_posting("draft", slug="secret", title="Secret draft")
    db.session.commit()
    auth.as_role("admin")
    response, head = _page(client, "secret")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Draft preview" in page
    assert head.jsonld == [] and head.meta.get("robots") == "noindex"


@pytest.mark.parametrize(("status", "code"), [("paused", 200), ("closed", 410)])
def test_paused_and_closed_postings_take_no_applications(client, app, now, status, code):
    make_posting(status, slug="gone", title="Old rater")
    db.session.commit()
    response, head = _page(client, "gone")
    page = response.get_data(as_text=True)
    assert response.status_code == code
    assert "no longer accepting applications" in page
    assert head.jsonld == [] and head.meta.get("robots") == "noindex"
    assert "/apply" not in page and "posting=gone" not in page


def test_an_expired_posting_takes_no_applications(client, app, now):
    make_posting("open", slug="expired", valid_through=date(2026, 11, 1))
    db.session.commit()
    response, head = _page(client, "expired")
    assert "no longer accepting applications" in response.get_data(as_text=True)
    assert head.jsonld == []
