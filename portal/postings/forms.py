"""The admin's posting form: the band in dollars on screen, cents in the database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from portal import clock
from portal.applicants.forms import MultiCheckboxField
from portal.domains import CHOICES as DOMAIN_CHOICES
from portal.domains import label as domain_label
from portal.models import Posting
from portal.models.posting import POSTING_SECTIONS
from portal.postings.rules import CURRENCIES, LANGUAGES, TRACK_CHOICES, check, split_codes

# Where each rule's field shows its errors on the form.
# (`process` is a method of every form, so that section's field has a longer name.)
FORM_FIELD = {
    "pay_min_cents": "pay_min",
    "pay_max_cents": "pay_max",
    "process": "application_process",
}
TEXT_FIELDS = ("title", "summary", *(name for name, _ in POSTING_SECTIONS))


def to_cents(amount: Decimal | None) -> int | None:
    return None if amount is None else int((amount * 100).to_integral_value())


def dollars(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


class PostingForm(FlaskForm):
    title = StringField("Title")
    summary = StringField("Summary", description="One or two lines for the board and link cards.")
    overview = TextAreaField("Role overview")
    responsibilities = TextAreaField("Key responsibilities")
    qualifications = TextAreaField("Ideal qualifications")
    commitment = TextAreaField("Commitment")
    compensation = TextAreaField("Compensation")
    application_process = TextAreaField("Application process")
    pay_min = DecimalField("Pay from (per hour)", places=2, default=Decimal("25.00"))
    pay_max = DecimalField("Pay to (per hour)", places=2, default=Decimal("35.00"))
    currency = SelectField(
        "Currency", choices={c: c.upper() for c in CURRENCIES}, default=CURRENCIES[0]
    )
    hours_min = IntegerField("Hours a week from", default=10)
    hours_max = IntegerField("Hours a week to", default=20)
    domains = MultiCheckboxField("Domains", choices=dict(DOMAIN_CHOICES))
    languages = StringField(
        "Languages asked for",
        description="ISO 639-1 codes, comma-separated (e.g. es, en); empty: no requirement.",
    )
    locations = StringField(
        "Countries it accepts",
        description="ISO country codes, comma-separated (e.g. US, GB, MX); empty: anywhere.",
    )
    track = SelectField(
        "Assessment track",
        choices={t: domain_label(t) for t in TRACK_CHOICES},
        default="general",
    )
    answer_days = IntegerField("Answer within (business days)", default=5)
    valid_through = DateField("Accepting applications until", validators=[Optional()])
    projects = MultiCheckboxField("Projects it staffs", coerce=int, choices={})

    def fill(self, posting: Posting) -> None:
        """Show a saved posting (GET of the edit page)."""
        for name in TEXT_FIELDS:
            getattr(self, FORM_FIELD.get(name, name)).data = getattr(posting, name)
        self.pay_min.data = dollars(posting.pay_min_cents)
        self.pay_max.data = dollars(posting.pay_max_cents)
        for name in ("currency", "hours_min", "hours_max", "track", "answer_days"):
            getattr(self, name).data = getattr(posting, name)
        self.domains.data = list(posting.domains or [])
        self.languages.data = ", ".join(posting.languages or [])
        self.locations.data = ", ".join(posting.locations or [])
        self.valid_through.data = posting.valid_through
        self.projects.data = [p.id for p in posting.projects]

    def values(self) -> dict[str, Any]:
        """The posting's values as the services take them (cents, codes, keys)."""
        values: dict[str, Any] = {
            name: getattr(self, FORM_FIELD.get(name, name)).data or "" for name in TEXT_FIELDS
        }
        values.update(
            pay_min_cents=to_cents(self.pay_min.data),
            pay_max_cents=to_cents(self.pay_max.data),
            currency=self.currency.data,
            hours_min=self.hours_min.data,
            hours_max=self.hours_max.data,
            domains=list(self.domains.data or []),
            languages=[code.lower() for code in split_codes(self.languages.data)],
            locations=split_codes(self.locations.data),
            track=self.track.data,
            answer_days=self.answer_days.data,
            valid_through=self.valid_through.data,
        )
        return values

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields' own checks, then every rule of a posting: all errors at once."""
        super().validate(extra_validators)
        self.add_errors(check(self.values(), today=clock.today()))
        return not self.errors

    def add_errors(self, errors: dict[str, list[str]]) -> None:
        """Put the services' errors on their fields (a field that could not parse keeps its own)."""
        for name, messages in errors.items():
            field = getattr(self, FORM_FIELD.get(name, name), None)
            if field is None:
                self.form_errors.append(" ".join(messages))
            elif not field.errors:
                field.errors = [*field.errors, *messages]
        if errors:
            self._errors = None  # recompute form.errors with the new messages


LANGUAGE_HINT = ", ".join(f"{code} ({name})" for code, name in sorted(LANGUAGES.items()))
