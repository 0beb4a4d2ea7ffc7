"""Account pages: thin views over portal.auth.services."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from portal.auth import services
from portal.auth.forms import (
    ChangePasswordForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignInForm,
    SignUpForm,
)
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
@limiter.limit(lambda: _signup_limit(), methods=["POST"], key_func=lambda: _signup_email_key())
@limiter.limit(lambda: _signup_ip_limit(), methods=["POST"])
def signup() -> str | Response:
    if current_user.is_authenticated:
        return redirect(dashboard_url(current_user))
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            services.sign_up_applicant(
                form.email.data,
                form.password.data,
                form.name.data,
                posting_slug=request.args.get("posting"),
            )
        except services.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            # The same answer whether or not the address already has an account.
            return render_template("auth/signup_sent.html", email=form.email.data)
    return render_template("auth/signup.html", form=form), 200 if not form.errors else 422


def _signup_limit() -> str:
    return current_app.config["SIGNUP_RATE_LIMIT"]


def _signup_ip_limit() -> str:
    return current_app.config["SIGNUP_IP_RATE_LIMIT"]


def _signup_email_key() -> str:
    return "signup:" + services.normalize_email(request.form.get("email") or "")


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
    # Session cookies are signed, not stored: ending the session version is what makes a copy
    # of this cookie (or a remember-me cookie) worthless after sign-out.
    services.end_sessions(current_user, reason="signed_out")
    logout_user()  # also deletes the remember-me cookie
    flash("You are signed out.", "info")
    return redirect(url_for("main.index"))


@bp.get("/account")
@login_required
def account() -> str:
    return render_template("auth/account.html", form=ChangePasswordForm())


@bp.post("/account/password")
@login_required
def change_password() -> str | Response | tuple[str, int]:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = services.change_password(
                current_user._get_current_object(), form.current.data, form.password.data
            )
        except services.AccountError as exc:
            form.current.errors.append(str(exc))
        else:
            login_user(user)  # this browser stays signed in under the new session version
            flash("Your password is changed. Every other session was signed out.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form), 422


@bp.post("/account/signout-everywhere")
@login_required
def signout_everywhere() -> Response:
    user = current_user._get_current_object()
    services.end_sessions(user, reason="signed_out_elsewhere")
    login_user(user)  # a fresh cookie for this browser only
    flash("Every other browser and device signed in to your account is now signed out.", "success")
    return redirect(url_for("auth.account"))


@bp.get("/verify/<token>")
def verify_email(token: str) -> Response | tuple[str, int]:
    try:
        user, first_time = services.verify_email(token)
    except services.AccountError as exc:
        return render_template("auth/token_error.html", message=str(exc)), 400
    flash("Your email address is confirmed.", "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(dashboard_url(user))
    if first_time and not current_user.is_authenticated and user.is_active:
        # The link from the sign-up email proves the mailbox: it continues the application.
        login_user(user)
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
