"""What a posting's public page says to people and to search engines.

The sections are Markdown with raw HTML off (``portal.guidelines.render_markdown``: a ``<script>``
is shown as text, ``javascript:`` links are refused). The JSON-LD follows schema.org's
``JobPosting`` as search engines' job listings read it; the template writes it with ``tojson``,
which escapes ``<``, ``>`` and ``&``, so a title holding ``</script>`` cannot end the block.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from flask import current_app
from markupsafe import Markup

from portal.applicants.countries import COUNTRIES
from portal.guidelines import render_markdown
from portal.mail import external_url
from portal.models import Posting
from portal.models.posting import POSTING_SECTIONS
from portal.money import format_cents
from portal.postings.rules import LANGUAGES

DEFAULT_ORGANIZATION = "Talent Portal"


def sections(posting: Posting) -> list[tuple[str, Markup]]:
    """(heading, sanitised HTML) for each section the posting fills, in page order."""
    return [
        (heading, render_markdown(getattr(posting, name)))
        for name, heading in POSTING_SECTIONS
        if (getattr(posting, name) or "").strip()
    ]


def description_html(posting: Posting) -> str:
    """The sections as one HTML document: each heading, then its rendered Markdown."""
    parts = [f"<h2>{Markup.escape(heading)}</h2>\n{html}" for heading, html in sections(posting)]
    return "\n".join(parts)


def pay_band(posting: Posting) -> str:
    """'$25.00–$35.00 an hour'."""
    low = format_cents(posting.pay_min_cents, posting.currency)
    high = format_cents(posting.pay_max_cents, posting.currency)
    return f"{low} an hour" if low == high else f"{low}–{high} an hour"


def hours_band(posting: Posting) -> str:
    """'10–20 hours a week'."""
    if posting.hours_min == posting.hours_max:
        return f"{posting.hours_min} hours a week"
    return f"{posting.hours_min}–{posting.hours_max} hours a week"


def where(posting: Posting) -> str:
    """'Remote, anywhere' or 'Remote: Spain, Mexico'."""
    if not posting.locations:
        return "Remote, anywhere"
    return "Remote: " + ", ".join(COUNTRIES.get(code, code) for code in posting.locations)


def languages(posting: Posting) -> str:
    return ", ".join(LANGUAGES.get(code, code) for code in posting.languages or [])


def canonical_url(posting: Posting) -> str:
    """The one absolute address of the posting (PUBLIC_BASE_URL when configured)."""
    return external_url("jobs.show", slug=posting.slug)


def _amount(cents: int) -> float | int:
    value = Decimal(cents) / 100
    return int(value) if value == value.to_integral_value() else float(value)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _end_of(day: date) -> str:
    return _iso(datetime.combine(day, time(23, 59, 59), tzinfo=UTC))


def organization() -> dict[str, Any]:
    """The hiring organisation: JOB_BOARD_ORGANIZATION(_URL, _SAME_AS) or this portal."""
    config = current_app.config
    url = config.get("JOB_BOARD_ORGANIZATION_URL") or external_url("main.index")
    org: dict[str, Any] = {
        "@type": "Organization",
        "name": config.get("JOB_BOARD_ORGANIZATION") or DEFAULT_ORGANIZATION,
        "url": url,
        "sameAs": config.get("JOB_BOARD_ORGANIZATION_SAME_AS") or url,
    }
    return org


def job_posting_ld(posting: Posting) -> dict[str, Any]:
    """schema.org ``JobPosting`` for an open posting (remote, contractor, hourly band).

    ``validThrough`` is the end of the posting's last day, and left out when it has none;
    ``applicantLocationRequirements`` lists its countries and is left out when it takes
    applicants from anywhere (schema.org has no "anywhere" country).
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": description_html(posting) or posting.summary or posting.title,
        "identifier": {
            "@type": "PropertyValue",
            "name": organization()["name"],
            "value": posting.slug,
        },
        "url": canonical_url(posting),
        "datePosted": _iso(posting.opened_at or posting.created_at),
        "employmentType": "CONTRACTOR",
        "hiringOrganization": organization(),
        "jobLocationType": "TELECOMMUTE",
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": posting.currency.upper(),
            "value": {
                "@type": "QuantitativeValue",
                "minValue": _amount(posting.pay_min_cents),
                "maxValue": _amount(posting.pay_max_cents),
                "unitText": "HOUR",
            },
        },
        "directApply": True,
    }
    if posting.valid_through is not None:
        data["validThrough"] = _end_of(posting.valid_through)
    if posting.locations:
        data["applicantLocationRequirements"] = [
            {"@type": "Country", "name": code} for code in posting.locations
        ]
    return data


def open_graph(posting: Posting) -> dict[str, str]:
    """The Open Graph properties of a posting's page."""
    return {
        "og:type": "website",
        "og:title": posting.title,
        "og:description": posting.summary or posting.title,
        "og:url": canonical_url(posting),
        "og:site_name": current_app.config.get("JOB_BOARD_ORGANIZATION") or DEFAULT_ORGANIZATION,
    }
