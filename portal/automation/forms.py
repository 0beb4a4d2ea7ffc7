"""The rule form: every field checked, every error shown at once, the input kept."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.automation.kinds import ACTIONS, TRIGGERS
from portal.pipeline import EXIT_REASONS


class RuleForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    trigger = SelectField("When", choices={"": "Choose…"} | {k: v[0] for k, v in TRIGGERS.items()})
    days = IntegerField(
        "After how many days (profile incomplete)",
        validators=[Optional(), NumberRange(min=1, max=365)],
    )
    min_score = IntegerField(
        "Only with a score of at least", validators=[Optional(), NumberRange(min=0, max=100)]
    )
    action = SelectField(
        "Then",
        choices={"": "Choose…"} | {k: v[0] for k, v in ACTIONS.items()},
        validate_choice=False,
    )
    exit_reason = SelectField(
        "Reason the applicant reads (reject, withdraw)",
        choices={"": "—", **{code: label for code, (label, _) in EXIT_REASONS.items()}},
        validate_choice=False,  # rules.check names what is wrong, with the other errors
    )
    delay_hours = IntegerField(
        "Delay in hours (a recruiter can undo until then)",
        default=0,
        validators=[Optional(), NumberRange(min=0, max=336)],
    )
    template_key = StringField("Email template key", validators=[Optional(), Length(max=64)])
    enabled = BooleanField("Switched on")

    def values(self) -> dict[str, Any]:
        return {
            "name": (self.name.data or "").strip(),
            "trigger": self.trigger.data or None,
            "days": self.days.data,
            "min_score": None if self.min_score.data is None else float(self.min_score.data),
            "action": self.action.data or None,
            "exit_reason": self.exit_reason.data or None,
            "delay_hours": self.delay_hours.data or 0,
            "template_key": (self.template_key.data or "").strip() or None,
            "enabled": bool(self.enabled.data),
        }


class ConfirmForm(FlaskForm):
    """A POST with only the CSRF token (undo, confirm, resolve, pause)."""
