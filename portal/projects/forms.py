"""Forms for clients, projects, the rate card, offers and guidelines."""

import re
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    EmailField,
    FloatField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal import clock
from portal.projects.ratecard import RateCard, Step
from portal.projects.services.rules import PROJECT_STATUSES


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def split_list(text: str | None) -> list[str]:
    """'a, b;c\\nd' -> ['a', 'b', 'c', 'd'] without duplicates or blanks."""
    items = [part.strip() for part in re.split(r"[,;\n]", text or "")]
    return list(dict.fromkeys(item for item in items if item))


def to_cents(amount: Decimal | None) -> int | None:
    return None if amount is None else int((amount * 100).to_integral_value())


def dollars(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


def parse_domain_minimums(text: str | None) -> dict[str, float]:
    """Lines 'medicine: 70' -> {'medicine': 70.0}; raises ValueError naming the bad line."""
    result: dict[str, float] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.rpartition(":")
        try:
            score = float(value)
        except ValueError:
            score = -1
        if not sep or not name.strip() or not 0 <= score <= 100:
            raise ValueError(f"Line {number}: write “domain: minimum score” with a score 0–100.")
        result[name.strip().lower()] = score
    return result


class ClientForm(FlaskForm):
    name = StringField("Name", filters=[strip], validators=[DataRequired(), Length(max=200)])
    contact_email = EmailField(
        "Contact email",
        filters=[strip],
        validators=[Optional(), Email(check_deliverability=False), Length(max=320)],
    )


class ProjectForm(FlaskForm):
    client_id = SelectField("Client", coerce=int, validators=[InputRequired()])
    title = StringField("Title", filters=[strip], validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Length(max=10000)])
    status = SelectField("Status", choices=PROJECT_STATUSES, default="draft")
    domains = StringField("Domains needed", description="Comma-separated, e.g. medicine, law")
    skills = StringField("Skills wanted", description="Comma-separated")
    languages = StringField("Languages required", description="Comma-separated, e.g. English")
    min_score = FloatField(
        "Minimum assessment score", default=65, validators=[InputRequired(), NumberRange(0, 100)]
    )
    domain_min_scores = TextAreaField(
        "Minimum score per domain", description="One per line: “medicine: 75”"
    )
    hours_min = IntegerField(
        "Weekly hours from", default=10, validators=[InputRequired(), NumberRange(1, 60)]
    )
    hours_max = IntegerField(
        "Weekly hours to", default=20, validators=[InputRequired(), NumberRange(1, 60)]
    )
    rate_min = DecimalField(
        "Hourly rate from ($)",
        places=2,
        default=Decimal("25.00"),
        validators=[InputRequired(), NumberRange(1, 1000)],
    )
    rate_max = DecimalField(
        "Hourly rate to ($)",
        places=2,
        default=Decimal("35.00"),
        validators=[InputRequired(), NumberRange(1, 1000)],
    )
    allowed_countries = StringField(
        "Allowed countries", description="ISO codes, comma-separated (e.g. US, GB); empty: any"
    )
    tz_from = FloatField(
        "Timezone window from (UTC±h)", validators=[Optional(), NumberRange(-12, 14)]
    )
    tz_to = FloatField("Timezone window to (UTC±h)", validators=[Optional(), NumberRange(-12, 14)])
    headcount = IntegerField(
        "Headcount", default=1, validators=[InputRequired(), NumberRange(1, 500)]
    )
    starts_on = DateField("Starts on", validators=[Optional()])
    ends_on = DateField("Ends on", validators=[Optional()])
    guideline_md = TextAreaField(
        "First guidelines (Markdown)",
        description="Published as version 1; later versions from the project's guideline page.",
    )

    def validate_hours_max(self, field: IntegerField) -> None:
        low = self.hours_min.data
        if low is not None and field.data is not None and field.data < low:
            raise ValidationError("Must be at least the lower bound of the hours band.")

    def validate_rate_max(self, field: DecimalField) -> None:
        low = self.rate_min.data
        if low is not None and field.data is not None and field.data < low:
            raise ValidationError("Must be at least the lower bound of the rate band.")

    def validate_allowed_countries(self, field: StringField) -> None:
        bad = [c for c in split_list(field.data) if not re.fullmatch(r"[A-Za-z]{2}", c)]
        if bad:
            raise ValidationError(f"Use two-letter ISO country codes (not: {', '.join(bad)}).")

    def _check_window(self) -> None:
        if (self.tz_from.data is None) != (self.tz_to.data is None):
            raise ValidationError("Give both ends of the timezone window, or neither.")

    # An empty end stops at Optional(), so each end checks the pair.
    def validate_tz_from(self, field: FloatField) -> None:
        self._check_window()

    def validate_tz_to(self, field: FloatField) -> None:
        self._check_window()

    def validate_ends_on(self, field: DateField) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The end date is before the start date.")

    def validate_domain_min_scores(self, field: TextAreaField) -> None:
        try:
            parse_domain_minimums(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def values(self) -> dict[str, Any]:
        """The validated form as Project column values."""
        window = {}
        if self.tz_from.data is not None and self.tz_to.data is not None:
            window = {"from": self.tz_from.data, "to": self.tz_to.data}
        return {
            "client_id": self.client_id.data,
            "title": self.title.data,
            "description": self.description.data or "",
            "status": self.status.data,
            "domains": [d.lower() for d in split_list(self.domains.data)],
            "skills": split_list(self.skills.data),
            "languages": split_list(self.languages.data),
            "min_score": float(self.min_score.data),
            "domain_min_scores": parse_domain_minimums(self.domain_min_scores.data),
            "hours_min": self.hours_min.data,
            "hours_max": self.hours_max.data,
            "rate_min_cents": to_cents(self.rate_min.data),
            "rate_max_cents": to_cents(self.rate_max.data),
            "allowed_countries": [c.upper() for c in split_list(self.allowed_countries.data)],
            "timezone_window": window,
            "headcount": self.headcount.data,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
        }

    def fill(self, project: Any) -> None:
        """Pre-fill from an existing project (on GET)."""
        self.client_id.data = project.client_id
        self.title.data = project.title
        self.description.data = project.description
        self.status.data = project.status
        self.domains.data = ", ".join(project.domains or [])
        self.skills.data = ", ".join(project.skills or [])
        self.languages.data = ", ".join(project.languages or [])
        self.min_score.data = project.min_score
        self.domain_min_scores.data = "\n".join(
            f"{k}: {v:g}" for k, v in (project.domain_min_scores or {}).items()
        )
        self.hours_min.data = project.hours_min
        self.hours_max.data = project.hours_max
        self.rate_min.data = dollars(project.rate_min_cents)
        self.rate_max.data = dollars(project.rate_max_cents)
        self.allowed_countries.data = ", ".join(project.allowed_countries or [])
        window = project.timezone_window or {}
        self.tz_from.data = window.get("from")
        self.tz_to.data = window.get("to")
        self.headcount.data = project.headcount
        self.starts_on.data = project.starts_on
        self.ends_on.data = project.ends_on


def _parse_steps(text: str | None, label: str) -> tuple[Step, ...]:
    """Lines 'threshold = bonus dollars' -> Steps with generated labels."""
    steps = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        threshold, sep, bonus = line.partition("=")
        try:
            t = float(threshold)
            cents = to_cents(Decimal(bonus.strip().lstrip("+$").strip()))
        except (ArithmeticError, ValueError):
            raise ValueError(f"Line {number}: write “threshold = bonus in dollars”.") from None
        if not sep or t < 0:
            raise ValueError(f"Line {number}: write “threshold = bonus in dollars”.")
        steps.append(Step(t, cents or 0, label.format(t=f"{t:g}")))
    return tuple(sorted(steps, key=lambda s: s.threshold))


def _steps_text(steps: tuple[Step, ...]) -> str:
    return "\n".join(f"{s.threshold:g} = {s.bonus_cents / 100:.2f}" for s in steps)


EXPERIENCE_LABEL = "{t}+ years of experience"
LABELLING_LABEL = "{t}+ months of labelling experience"
SCORE_LABEL = "an assessment score of {t}+"


class RateCardForm(FlaskForm):
    base = DecimalField(
        "Base hourly rate ($)", places=2, validators=[InputRequired(), NumberRange(0, 1000)]
    )
    experience_steps = TextAreaField(
        "Years of experience", description="“years = bonus $”, per line"
    )
    labelling_steps = TextAreaField(
        "Months of labelling", description="“months = bonus $”, per line"
    )
    score_steps = TextAreaField("Assessment score", description="“score = bonus $”, per line")
    tier_a = TextAreaField("Tier A countries", description="ISO codes, comma-separated")
    tier_b = TextAreaField("Tier B countries", description="ISO codes; every other country is C")
    adjust_a = DecimalField("Tier A adjustment ($)", places=2, validators=[InputRequired()])
    adjust_b = DecimalField("Tier B adjustment ($)", places=2, validators=[InputRequired()])
    adjust_c = DecimalField("Tier C adjustment ($)", places=2, validators=[InputRequired()])

    def validate_experience_steps(self, field: TextAreaField) -> None:
        self._check_steps(field, EXPERIENCE_LABEL)

    def validate_labelling_steps(self, field: TextAreaField) -> None:
        self._check_steps(field, LABELLING_LABEL)

    def validate_score_steps(self, field: TextAreaField) -> None:
        self._check_steps(field, SCORE_LABEL)

    @staticmethod
    def _check_steps(field: TextAreaField, label: str) -> None:
        try:
            _parse_steps(field.data, label)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def validate_tier_a(self, field: TextAreaField) -> None:
        self._check_codes(field)

    def validate_tier_b(self, field: TextAreaField) -> None:
        self._check_codes(field)
        both = {c.upper() for c in split_list(field.data)} & {
            c.upper() for c in split_list(self.tier_a.data)
        }
        if both:
            raise ValidationError(f"Listed in both tiers: {', '.join(sorted(both))}.")

    @staticmethod
    def _check_codes(field: TextAreaField) -> None:
        bad = [c for c in split_list(field.data) if not re.fullmatch(r"[A-Za-z]{2}", c)]
        if bad:
            raise ValidationError(f"Use two-letter ISO country codes (not: {', '.join(bad)}).")

    def card(self, currency: str = "USD") -> RateCard:
        tiers = {c.upper(): "A" for c in split_list(self.tier_a.data)}
        tiers.update({c.upper(): "B" for c in split_list(self.tier_b.data)})
        return RateCard(
            base_cents=to_cents(self.base.data) or 0,
            currency=currency,
            experience_steps=_parse_steps(self.experience_steps.data, EXPERIENCE_LABEL),
            labelling_steps=_parse_steps(self.labelling_steps.data, LABELLING_LABEL),
            score_steps=_parse_steps(self.score_steps.data, SCORE_LABEL),
            country_tiers=tiers,
            tier_adjust_cents={
                "A": to_cents(self.adjust_a.data) or 0,
                "B": to_cents(self.adjust_b.data) or 0,
                "C": to_cents(self.adjust_c.data) or 0,
            },
            default_tier="C",
        )

    def fill(self, card: RateCard) -> None:
        self.base.data = dollars(card.base_cents)
        self.experience_steps.data = _steps_text(card.experience_steps)
        self.labelling_steps.data = _steps_text(card.labelling_steps)
        self.score_steps.data = _steps_text(card.score_steps)
        self.tier_a.data = ", ".join(sorted(c for c, t in card.country_tiers.items() if t == "A"))
        self.tier_b.data = ", ".join(sorted(c for c, t in card.country_tiers.items() if t == "B"))
        self.adjust_a.data = dollars(card.tier_adjust_cents.get("A", 0))
        self.adjust_b.data = dollars(card.tier_adjust_cents.get("B", 0))
        self.adjust_c.data = dollars(card.tier_adjust_cents.get("C", 0))


class OfferForm(FlaskForm):
    rate = DecimalField(
        "Hourly rate ($)", places=2, validators=[InputRequired(), NumberRange(0, 1000)]
    )
    hours = IntegerField("Weekly hours", validators=[InputRequired(), NumberRange(1, 60)])
    starts_on = DateField("Starts on", validators=[Optional()])
    expires_in_days = IntegerField(
        "Expires in (days)", default=7, validators=[InputRequired(), NumberRange(1, 60)]
    )

    def validate_starts_on(self, field: DateField) -> None:
        if field.data and field.data < clock.today():
            raise ValidationError("The start date is in the past.")


class ProposalForm(FlaskForm):
    expires_in_days = IntegerField(
        "Offers expire in (days)", default=7, validators=[InputRequired(), NumberRange(1, 60)]
    )


class GuidelineForm(FlaskForm):
    title = StringField("Title", filters=[strip], validators=[DataRequired(), Length(max=200)])
    changelog = StringField("What changed", filters=[strip], validators=[Length(max=500)])
    body_md = TextAreaField("Guidelines (Markdown)", validators=[DataRequired()])
    check = TextAreaField(
        "Check on the change (3–5 questions)",
        description=(
            "Required when raters already work on the project: their queues resume once they "
            "answer every question right. “Q:” starts a question, “-” an option, a trailing * "
            "marks the right one."
        ),
    )
