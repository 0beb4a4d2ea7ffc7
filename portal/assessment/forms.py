"""Forms for items and guidelines."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FloatField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from assessments.items import ITEM_KINDS, TIERS


class ItemForm(FlaskForm):
    kind = SelectField("Kind", choices={k: k.title() for k in ITEM_KINDS})
    prompt = TextAreaField("Prompt", validators=[DataRequired()])
    response_a = TextAreaField("Response A", validators=[Optional()])
    response_b = TextAreaField("Response B", validators=[Optional()])
    response_c = TextAreaField("Response C (ranking only)", validators=[Optional()])
    response_d = TextAreaField("Response D (ranking only)", validators=[Optional()])
    gold = StringField(
        "Gold answer",
        validators=[DataRequired()],
        description="Pairwise: -3..3 (negative = A better, 0 = tie). Ranking: ranks per "
        "response, 1 = best, e.g. 1,2,2,3.",
    )
    gold_strength = FloatField("Gold strength", default=1.0, validators=[NumberRange(0, 1)])
    tier = SelectField("Tier", choices={t: t.title() for t in TIERS})
    domain = StringField("Domain", default="general", validators=[DataRequired(), Length(max=64)])
    difficulty = SelectField("Difficulty", choices={"1": "1", "2": "2", "3": "3"}, default="2")
    attention_check = BooleanField("Attention check (the prompt says what to answer)")
    known_broken = BooleanField("Known broken (the right action is to flag it)")
    rationale_required = BooleanField("Rationale required")
    needs_review = BooleanField("Needs review")
    source = StringField("Source", validators=[Optional(), Length(max=200)])
    submit = SubmitField("Save item")

    def responses(self) -> list[str]:
        """The filled responses in order (A, B, then C and D when given)."""
        values = [
            self.response_a.data,
            self.response_b.data,
            self.response_c.data,
            self.response_d.data,
        ]
        out = [v or "" for v in values[:2]]
        out += [v for v in values[2:] if v and v.strip()]
        return out

    def gold_value(self) -> int | list[int]:
        """Parse the gold field; raises ValueError with a message for the form."""
        text = (self.gold.data or "").strip()
        try:
            if self.kind.data == "pairwise":
                return int(text)
            return [int(part) for part in text.replace(" ", "").split(",") if part]
        except ValueError:
            raise ValueError(
                "Write a whole number (pairwise) or ranks separated by commas (ranking)."
            ) from None


class GuidelineForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    body_md = TextAreaField("Guidelines (Markdown)", validators=[DataRequired()])
    changelog = TextAreaField("What changed", validators=[Optional()])
    preview = SubmitField("Preview")
    publish = SubmitField("Publish new version")
