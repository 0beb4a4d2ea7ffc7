"""Account pages: thin views over portal.auth.services."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from portal.auth import services
from portal.auth.forms import ResetPasswordForm, ResetRequestForm, SignInForm, SignUpForm
from portal.extensions import limiter
from portal.models import Role, User
from portal.redirects import safe_redirect

bp = Blueprint("auth", __name__, url_prefix="/auth")


def dashboard_url(user: User) -> str:
    """Each role lands on its own dashboard."""
    return {
        Role.APPLICANT: url_for("applicants.dashboard"),
        Role.RECRUITER: url_for("recruiters.dashboard"),
        Role.ADMIN: url_for("admin.dashboard"),
    }[user.role]


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> str | Response:
    if current_user.is_authenticated:
        return redirect(dashboard_url(current_user))
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            user = services.sign_up_applicant(form.email.data, form.password.data, form.name.data)
        except services.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            login_user(user)
            flash("Welcome! We sent you a link to confirm your email address.", "success")
            return redirect(url_for("applicants.dashboard"))
    return render_template("auth/signup.html", form=form), 200 if not form.errors else 422


def _signin_limit() -> str:
    return current_app.config["SIGNIN_RATE_LIMIT"]


@bp.route("/signin", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
def signin() -> str | Response:
    if current_user.is_authenticated:
        return redirect(dashboard_url(current_user))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append("Wrong email or password.")
        else:
            login_user(user, remember=form.remember.data)
            return redirect(safe_redirect(request.args.get("next")) or dashboard_url(user))
    return render_template("auth/signin.html", form=form), 200 if not form.errors else 422


@bp.post("/signout")
@login_required
def signout() -> Response:
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("main.index"))


@bp.get("/verify/<token>")
def verify_email(token: str) -> Response | tuple[str, int]:
    try:
        user = services.verify_email(token)
    except services.AccountError as exc:
        return render_template("auth/token_error.html", message=str(exc)), 400
    flash("Your email address is confirmed.", "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(dashboard_url(user))
    return redirect(url_for("auth.signin"))


@bp.post("/verify/resend")
@login_required
@limiter.limit("5 per hour")
def resend_verification() -> Response:
    if not current_user.email_verified:
        services.resend_verification(current_user)
        flash("We sent a new confirmation link.", "success")
    return redirect(dashboard_url(current_user))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def request_reset() -> str | Response:
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash("If that address has an account, a reset link is on its way.", "info")
        return redirect(url_for("auth.signin"))
    expires = services.lifetime(current_app.config["RESET_TOKEN_MAX_AGE"])
    return render_template("auth/reset_request.html", form=form, expires=expires)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    try:
        services.read_token(token, "reset", current_app.config["RESET_TOKEN_MAX_AGE"])
    except services.AccountError as exc:
        return render_template("auth/token_error.html", message=str(exc)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except services.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            flash("Your password is changed. Sign in with the new one.", "success")
            return redirect(url_for("auth.signin"))
    return render_template("auth/reset_password.html", form=form)
