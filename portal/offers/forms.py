"""The contractor's forms: answer an offer, acknowledge a guideline version."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length

from portal.projects.forms import strip


class AcceptForm(FlaskForm):
    guideline_version = HiddenField()
    agreement_version = HiddenField()
    ack_guidelines = BooleanField("I have read and will follow the project guidelines above.")
    ack_agreement = BooleanField("I accept the contractor agreement.")


class DeclineForm(FlaskForm):
    reason = StringField("Reason (optional)", filters=[strip], validators=[Length(max=500)])


class AckForm(FlaskForm):
    guideline_id = HiddenField(validators=[DataRequired()])
    confirm = BooleanField(
        "I have read this version and will follow it.", validators=[DataRequired("Tick the box.")]
    )
