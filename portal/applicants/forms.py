"""The resume upload and the experience profile forms."""

import re
from typing import Any

import phonenumbers
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal import clock
from portal.applicants.countries import COUNTRIES
from portal.applicants.timezones import all_zones
from portal.links import LinkError, clean_web_link

DOMAINS = {
    "law": "Law",
    "medicine": "Medicine & health",
    "software engineering": "Software engineering",
    "mathematics": "Mathematics",
    "finance": "Finance & accounting",
    "creative writing": "Creative writing",
    "science research": "Science research",
    "education": "Education & teaching",
    "data science": "Data science & statistics",
    "linguistics": "Linguistics & translation",
    "business": "Business & consulting",
    "marketing": "Marketing & communications",
    "psychology": "Psychology",
    "engineering": "Engineering (non-software)",
    "humanities": "History & philosophy",
}

LABELLING_KINDS = {
    "": "Choose…",
    "preference ranking": "Ranking / comparing AI responses",
    "annotation": "Data annotation / labelling",
    "content evaluation": "Content or search-quality evaluation",
    "moderation": "Content moderation",
    "transcription": "Transcription / translation",
    "other": "Other",
}

LEVELS = {
    "": "Choose…",
    "native": "Native",
    "fluent": "Fluent (C2)",
    "professional": "Professional (C1)",
    "conversational": "Conversational (B1–B2)",
    "basic": "Basic (A1–A2)",
}

_MONTH = re.compile(r"^(19[5-9]\d|20\d\d)-(0[1-9]|1[0-2])$")
_PRESENT = {"", "present", "now", "current", "today"}


class MultiCheckboxField(SelectMultipleField):
    """A multi-select shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _month(value: str, what: str) -> None:
    if not _MONTH.match(value):
        raise ValidationError(f"Write the {what} as YYYY-MM, for example 2021-06.")


class ExperienceRow(Form):
    title = StringField("Title", validators=[Length(max=200)])
    company = StringField("Company", validators=[Length(max=200)])
    start = StringField("Start (YYYY-MM)", validators=[Length(max=7)])
    end = StringField("End (YYYY-MM or present)", validators=[Length(max=10)])

    def is_blank(self) -> bool:
        return not any((f.data or "").strip() for f in (self.title, self.company, self.start))

    def validate_start(self, field: StringField) -> None:
        if self.is_blank():
            return
        value = (field.data or "").strip()
        if not value:
            raise ValidationError("Say when you started (YYYY-MM).")
        _month(value, "start")

    def validate_end(self, field: StringField) -> None:
        value = (field.data or "").strip().lower()
        if self.is_blank() or value in _PRESENT:
            return
        _month(value, "end")
        start = (self.start.data or "").strip()
        if _MONTH.match(start) and value < start:
            raise ValidationError("The end is before the start.")

    def value(self) -> dict[str, Any]:
        end = (self.end.data or "").strip().lower()
        return {
            "title": (self.title.data or "").strip(),
            "company": (self.company.data or "").strip(),
            "start": (self.start.data or "").strip(),
            "end": None if end in _PRESENT else end,
        }


class EducationRow(Form):
    degree = StringField("Degree", validators=[Length(max=200)])
    school = StringField("School", validators=[Length(max=200)])
    year = IntegerField(
        "Year",
        validators=[
            Optional(),
            NumberRange(1950, clock.today().year + 8, "Give a year such as 2019."),
        ],
    )

    def is_blank(self) -> bool:
        return not (self.degree.data or "").strip() and not (self.school.data or "").strip()

    def value(self) -> dict[str, Any]:
        return {
            "degree": (self.degree.data or "").strip(),
            "school": (self.school.data or "").strip(),
            "year": self.year.data,
        }


class LabellingRow(Form):
    kind = SelectField("Type of work", choices=LABELLING_KINDS, default="")
    platforms = StringField("Platforms or employers", validators=[Length(max=200)])
    months = IntegerField(
        "Months", validators=[Optional(), NumberRange(0, 600, "Give a number of months.")]
    )

    def is_blank(self) -> bool:
        return not self.kind.data and not (self.platforms.data or "").strip()

    def value(self) -> dict[str, Any]:
        return {
            "kind": self.kind.data,
            "platforms": (self.platforms.data or "").strip(),
            "months": self.months.data,
        }


class LanguageRow(Form):
    language = StringField("Language", validators=[Length(max=60)])
    level = SelectField("Proficiency", choices=LEVELS, default="")

    def is_blank(self) -> bool:
        return not (self.language.data or "").strip()

    def validate_level(self, field: SelectField) -> None:
        if not self.is_blank() and not field.data:
            raise ValidationError("Choose how well you speak it.")

    def value(self) -> dict[str, Any]:
        return {"language": (self.language.data or "").strip(), "level": self.level.data}


def _rows(field: FieldList) -> list[dict[str, Any]]:
    return [entry.form.value() for entry in field.entries if not entry.form.is_blank()]


class ProfileForm(FlaskForm):
    """Every field is optional for a draft; `validate_complete` adds what a submission needs."""

    full_name = StringField("Full name", validators=[Length(max=200)])
    phone = StringField("Phone", validators=[Length(max=32)])
    country = SelectField("Country", choices={"": "Choose…", **COUNTRIES}, default="")
    city = StringField("City", validators=[Length(max=120)])
    timezone = SelectField("Timezone", default="")
    links = TextAreaField("Links (one per line: LinkedIn, GitHub, your site)")
    skills = StringField("Skills (separated by commas)", validators=[Length(max=1000)])
    years_experience = DecimalField(
        "Years of professional experience",
        places=1,
        validators=[Optional(), NumberRange(0, 60, "Give a number of years from 0 to 60.")],
    )
    experience = FieldList(FormField(ExperienceRow), min_entries=1, max_entries=30)
    education = FieldList(FormField(EducationRow), min_entries=1, max_entries=15)
    domains = MultiCheckboxField("Domains of expertise", choices=DOMAINS)
    labelling = FieldList(FormField(LabellingRow), min_entries=1, max_entries=10)
    languages = FieldList(FormField(LanguageRow), min_entries=1, max_entries=10)
    weekly_hours = IntegerField(
        "Hours a week you can work",
        validators=[Optional(), NumberRange(5, 40, "Choose between 5 and 40 hours a week.")],
    )
    earliest_start = DateField("Earliest start date", validators=[Optional()])
    desired_rate = DecimalField(
        "Desired hourly rate (USD)",
        places=2,
        validators=[Optional(), NumberRange(5, 500, "Give an hourly rate between $5 and $500.")],
    )
    consent_terms = BooleanField("I agree to the contractor terms.")
    consent_data = BooleanField(
        "I agree that my resume and profile are processed to match me with projects."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = {"": "Choose…", **{z: z.replace("_", " ") for z in all_zones()}}

    def validate_phone(self, field: StringField) -> None:
        value = (field.data or "").strip()
        if not value:
            return
        try:
            number = phonenumbers.parse(value, self.country.data or None)
        except phonenumbers.NumberParseException as exc:
            raise ValidationError(
                "Write the phone number with its country code, e.g. +44 20 7946 0958."
            ) from exc
        if not phonenumbers.is_possible_number(number):
            raise ValidationError("That phone number looks incomplete; check the digits.")
        field.data = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def validate_links(self, field: TextAreaField) -> None:
        for line in (field.data or "").splitlines():
            if line.strip():
                try:
                    clean_web_link(line)
                except LinkError as exc:
                    raise ValidationError(str(exc)) from exc

    def validate_earliest_start(self, field: DateField) -> None:
        if field.data is not None and field.data.year > clock.today().year + 2:
            raise ValidationError("Choose a start date within the next two years.")

    def validate_complete(self) -> bool:
        """The checks a submission adds to a draft's; errors go beside their fields."""
        missing = {
            self.full_name: "Give your full name.",
            self.country: "Choose the country you live in.",
            self.city: "Give the city you live in.",
            self.timezone: "Choose your timezone.",
            self.weekly_hours: "Say how many hours a week you can work (5–40).",
            self.earliest_start: "Choose the earliest date you could start.",
            self.desired_rate: "Give your desired hourly rate in USD.",
        }
        ok = True
        for field, message in missing.items():
            if field.data in (None, "") and not field.errors:
                field.errors = [*field.errors, message]
                ok = False
        if not self.domains.data:
            self.domains.errors = [*self.domains.errors, "Choose at least one domain."]
            ok = False
        if not _rows(self.languages):
            entry = self.languages.entries[0].form
            entry.language.errors = [*entry.language.errors, "Add at least one language."]
            ok = False
        if self.earliest_start.data is not None and self.earliest_start.data < clock.today():
            self.earliest_start.errors = [
                *self.earliest_start.errors,
                "Choose today or a later date.",
            ]
            ok = False
        for field, message in (
            (self.consent_terms, "You need to agree to the contractor terms to apply."),
            (self.consent_data, "We need your consent to process your profile."),
        ):
            if not field.data:
                field.errors = [*field.errors, message]
                ok = False
        return ok

    def values(self) -> dict[str, Any]:
        """The cleaned values for `services.save_profile`."""
        links = []
        for line in (self.links.data or "").splitlines():
            if line.strip():
                links.append(clean_web_link(line))
        skills = [s.strip() for s in (self.skills.data or "").split(",") if s.strip()]
        years = self.years_experience.data
        rate = self.desired_rate.data
        return {
            "full_name": (self.full_name.data or "").strip(),
            "phone": (self.phone.data or "").strip(),
            "country": self.country.data or "",
            "city": (self.city.data or "").strip(),
            "timezone": self.timezone.data or "",
            "links": list(dict.fromkeys(links)),
            "skills": list(dict.fromkeys(skills)),
            "years_experience": None if years is None else float(years),
            "experience": _rows(self.experience),
            "education": _rows(self.education),
            "domains": [d for d in self.domains.data or [] if d in DOMAINS],
            "labelling": _rows(self.labelling),
            "languages": _rows(self.languages),
            "weekly_hours": self.weekly_hours.data,
            "earliest_start": self.earliest_start.data,
            "desired_rate": None if rate is None else float(rate),
            "consent_terms": bool(self.consent_terms.data),
            "consent_data": bool(self.consent_data.data),
        }


class ResumeForm(FlaskForm):
    resume = FileField("Your resume (PDF, DOCX or plain text, up to 10 MB)")
