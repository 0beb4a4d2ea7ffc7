"""Which Express accounts Stripe lets a platform create and pay, by the contractor's country.

The rules, as Stripe publishes them (docs.stripe.com/connect/cross-border-payouts and
/connect/service-agreement-types):

- a contractor in the platform's own country gets an ordinary account (the ``full`` service
  agreement) that requests the ``transfers`` capability;
- a contractor in another country can be paid only through a cross-border payout, which needs the
  ``recipient`` service agreement (``tos_acceptance[service_agreement]=recipient``), the country
  passed explicitly, and the ``transfers`` capability ALONE (recipients cannot take payments);
- cross-border payouts exist only from the platform countries below, and only to the countries
  listed for them; for anyone else Stripe refuses to create the account, so the portal refuses
  first, before anything is created, with a sentence the contractor can act on.

Review ``CROSS_BORDER`` when Stripe's list changes; the fake Stripe enforces the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.applicants.countries import COUNTRIES


def codes(text: str) -> frozenset[str]:
    """``"DE FR"`` -> ``{"DE", "FR"}``: country tables written as text."""
    return frozenset(text.split())


# Countries a US platform can pay with cross-border payouts (Stripe's published list).
_US_RECIPIENTS = codes(
    """
    AL DZ AO AG AR AM AU AT AZ BS BH BD BE BJ BT BO BA BW BN BG KH CA CL CO CR CI HR CY CZ DK DO EC
    EG SV EE ET FI FR GA GM DE GH GR GT GY HK HU IS IN ID IE IL IT JM JP JO KZ KE KW LA LV LI LT LU
    MO MG MY MT MU MX MD MC MN MA MZ NA NL NZ NE NG MK NO OM PK PA PY PE PH PL PT QA RO RW SM SA SN
    RS SG SK SI ZA KR ES LK LC SE CH TW TZ TH TT TN TR GB UY UZ VN BR
    """
)

# Europe (EEA, UK, Switzerland): platforms there can pay accounts elsewhere in the region.
_EUROPE = codes(
    """
    AT BE BG HR CY CZ DK EE FI FR DE GR HU IS IE IT LV LI LT LU MT NL NO PL PT RO SK SI ES SE GB CH
    """
)

# Platform country -> the other countries its contractors may live in.
CROSS_BORDER: dict[str, frozenset[str]] = {
    "US": _US_RECIPIENTS,
    **{country: _EUROPE - {country} for country in _EUROPE},
}


class CountryNotSupported(ValueError):
    """Stripe cannot pay a contractor in this country from this platform; ``message`` says so."""

    def __init__(self, message: str, country: str) -> None:
        super().__init__(message)
        self.message = message
        self.country = country


@dataclass(frozen=True)
class AccountTerms:
    """How to create a contractor's Express account."""

    country: str
    service_agreement: str  # full | recipient
    capabilities: tuple[str, ...]

    @property
    def cross_border(self) -> bool:
        return self.service_agreement == "recipient"


def country_name(code: str) -> str:
    """``"DE"`` -> ``"Germany"`` (the code itself when unknown)."""
    return COUNTRIES.get(code.upper(), code.upper())


def account_terms(platform_country: str, country: str) -> AccountTerms:
    """The service agreement and capabilities Stripe requires, or ``CountryNotSupported``."""
    platform = platform_country.strip().upper()
    country = (country or "").strip().upper()
    if len(country) != 2 or country not in COUNTRIES:
        raise CountryNotSupported(
            "Set the country you live in on your profile before connecting Stripe.", country
        )
    if country == platform:
        return AccountTerms(country, "full", ("transfers",))
    if country in CROSS_BORDER.get(platform, frozenset()):
        return AccountTerms(country, "recipient", ("transfers",))
    raise CountryNotSupported(
        f"Stripe cannot send payouts to {country_name(country)} from this platform "
        f"({country_name(platform)}), so we cannot pay you through Stripe there. "
        "Contact the payments team about another way to be paid.",
        country,
    )
