"""The staff's Account page: their details and their personal API tokens."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length

from portal import clock
from portal.api import tokens
from portal.api.routing import account_bp as bp
from portal.auth.roles import restrict_blueprint
from portal.extensions import db
from portal.models import ApiToken, Role

restrict_blueprint(bp, Role.RECRUITER, Role.ADMIN)


class TokenForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    scopes = SelectMultipleField(
        "Scopes",
        choices={},
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
    )
    days = SelectField(
        "Expires after",
        choices={str(d): f"{d} days" for d in tokens.EXPIRY_DAYS},
        default=str(tokens.DEFAULT_EXPIRY_DAYS),
    )


def _form() -> TokenForm:
    form = TokenForm(prefix="token")
    allowed = tokens.allowed_scopes(current_user)
    form.scopes.choices = {s: f"{s} — {t}" for s, t in tokens.SCOPES.items() if s in allowed}
    return form


def _render(form: TokenForm, status: int = 200, new: tokens.NewToken | None = None) -> tuple:
    return render_template(
        "api/account.html",
        form=form,
        tokens=tokens.tokens_of(current_user),
        new=new,
        now=clock.now(),
    ), status


@bp.get("/")
def index() -> tuple:
    return _render(_form())


@bp.post("/tokens")
def create_token() -> tuple:
    form = _form()
    if not form.validate_on_submit():
        return _render(form, 422)
    if not form.scopes.data:
        form.scopes.errors = ["Choose at least one scope."]
        return _render(form, 422)
    try:
        new = tokens.create_token(
            current_user, name=form.name.data, scopes=form.scopes.data, days=int(form.days.data)
        )
    except tokens.TokenError as exc:
        form.name.errors = [*form.name.errors, str(exc)]
        return _render(form, 422)
    # Shown in this response only: never flashed (the session cookie is signed, not secret).
    return _render(_form(), 201, new=new)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int) -> Response:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    tokens.revoke_token(token, actor=current_user)
    flash(f"Revoked “{token.name}” ({token.prefix}…). It stops working at once.", "success")
    return redirect(url_for("account.index"))


@bp.after_request
def _no_store(response: Response) -> Response:
    if request.endpoint == "account.create_token":
        response.headers["Cache-Control"] = "no-store"
    return response
