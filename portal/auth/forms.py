"""Forms for accounts."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from portal.auth.services import password_problem


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class StrongPassword:
    """Refuse short, common or guessable passwords with a message that says why."""

    def __call__(self, form: FlaskForm, field: PasswordField) -> None:
        email = form.data.get("email") or ""
        problem = password_problem(field.data or "", email)
        if problem:
            raise ValidationError(problem)


class SignUpForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        "Email",
        filters=[strip],
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=320)],
    )
    password = PasswordField("Password", validators=[DataRequired(), StrongPassword()])
    confirm = PasswordField(
        "Repeat password", validators=[DataRequired(), EqualTo("password", "Passwords differ.")]
    )


class SignInForm(FlaskForm):
    email = EmailField(
        "Email", filters=[strip], validators=[DataRequired(), Email(check_deliverability=False)]
    )
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me signed in")


class ResetRequestForm(FlaskForm):
    email = EmailField(
        "Email", filters=[strip], validators=[DataRequired(), Email(check_deliverability=False)]
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), StrongPassword()])
    confirm = PasswordField(
        "Repeat password", validators=[DataRequired(), EqualTo("password", "Passwords differ.")]
    )


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired()])
    password = PasswordField("New password", validators=[DataRequired(), StrongPassword()])
    confirm = PasswordField(
        "Repeat new password", validators=[DataRequired(), EqualTo("password", "Passwords differ.")]
    )


class CreateStaffForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        "Email",
        filters=[strip],
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=320)],
    )
    role = SelectField("Role", choices={"recruiter": "Recruiter", "admin": "Admin"})
    password = PasswordField("Initial password", validators=[DataRequired(), StrongPassword()])
