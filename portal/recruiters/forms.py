"""Forms of the recruiter workspace."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.models.recruiting import RECOMMENDATIONS, SCORECARD_ATTRIBUTES
from portal.pipeline import EXIT_REASONS, STAGES

RATINGS = {"": "—", "1": "1 · weak", "2": "2", "3": "3", "4": "4 · excellent"}


class NoteForm(FlaskForm):
    body = TextAreaField("Note", validators=[DataRequired(), Length(max=5000)])


class ScorecardForm(FlaskForm):
    domain_expertise = SelectField(SCORECARD_ATTRIBUTES["domain_expertise"], choices=RATINGS)
    writing_quality = SelectField(SCORECARD_ATTRIBUTES["writing_quality"], choices=RATINGS)
    judgement = SelectField(SCORECARD_ATTRIBUTES["judgement"], choices=RATINGS)
    reliability = SelectField(SCORECARD_ATTRIBUTES["reliability"], choices=RATINGS)
    recommendation = SelectField(
        "Overall recommendation", choices={"": "Choose…"} | RECOMMENDATIONS
    )
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=2000)])

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for name in SCORECARD_ATTRIBUTES:
            field = getattr(self, name)
            if field.data not in {"1", "2", "3", "4"}:
                field.errors.append("Rate from 1 to 4.")
                ok = False
        if self.recommendation.data not in RECOMMENDATIONS:
            self.recommendation.errors.append("Choose a recommendation.")
            ok = False
        return ok

    def ratings(self) -> dict[str, int]:
        return {name: int(getattr(self, name).data) for name in SCORECARD_ATTRIBUTES}


class MoveForm(FlaskForm):
    to_stage = SelectField("Move to", choices=STAGES)
    exit_reason = SelectField(
        "Why (required for a rejection; the applicant reads this sentence)",
        choices={"": "—", **{code: label for code, (label, _) in EXIT_REASONS.items()}},
        validate_choice=False,  # the pipeline refuses an unknown code with a message
    )
    reason = TextAreaField("Internal note on the move", validators=[Length(max=2000)])
    template = SelectField("Email the applicant", choices={"": "No email"}, validate_choice=False)


class TagForm(FlaskForm):
    name = StringField("Tag", validators=[DataRequired(), Length(max=40)])


class EmailTemplateForm(FlaskForm):
    key = StringField(
        "Key",
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(r"^[a-z0-9_]+$", message="Lower-case letters, digits and underscores."),
        ],
    )
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    stage = SelectField(
        "Send by default on moves to", choices={"": "No stage (pick by hand)"} | STAGES
    )
    subject = StringField("Subject", validators=[DataRequired(), Length(max=300)])
    body = TextAreaField("Body", validators=[DataRequired(), Length(max=20000)])


class SavedSearchForm(FlaskForm):
    name = StringField("Save this search as", validators=[DataRequired(), Length(max=80)])
    query = HiddenField()
    shared = BooleanField("Share with the team")


class RenameSearchForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    shared = BooleanField("Shared with the team")


class CandidateEmailForm(FlaskForm):
    template = SelectField(
        "Template", choices={"": "No template: write it below"}, validate_choice=False
    )
    application = SelectField("About the application to", choices={}, validate_choice=False)
    subject = StringField("Subject", validators=[Length(max=300)])
    body = TextAreaField("Message", validators=[Length(max=20000)])

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for chosen in (self.template, self.application):
            if chosen.data and chosen.data not in dict(chosen.choices):
                chosen.errors.append("Choose one from the list.")
                return False
        if ok and not self.template.data:
            for field in (self.subject, self.body):
                if not (field.data or "").strip():
                    field.errors.append("Write this, or choose a template.")
                    ok = False
        return ok
