"""Admin pages: dashboard, staff accounts, outbox, audit log."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from portal.auth import services
from portal.auth.forms import CreateStaffForm
from portal.auth.roles import restrict_blueprint
from portal.extensions import db
from portal.models import AuditEvent, OutboxEmail, Role, User

bp = Blueprint("admin", __name__, url_prefix="/admin")
restrict_blueprint(bp, Role.ADMIN)


@bp.get("/")
def dashboard() -> str:
    counts = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    failed_mail = db.session.scalar(select(func.count()).where(OutboxEmail.status == "failed"))
    return render_template("admin/dashboard.html", counts=counts, failed_mail=failed_mail)


@bp.route("/users", methods=["GET", "POST"])
def users() -> str | Response | tuple[str, int]:
    form = CreateStaffForm()
    if form.validate_on_submit():
        try:
            user = services.create_account(
                form.email.data,
                form.password.data,
                role=Role(form.role.data),
                name=form.name.data,
                actor=current_user,
            )
        except services.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            flash(f"{user.role.value.title()} {user.email} created.", "success")
            return redirect(url_for("admin.users"))
    page = db.paginate(
        select(User).where(User.role != Role.APPLICANT).order_by(User.created_at.desc()),
        per_page=50,
    )
    return render_template("admin/users.html", form=form, page=page), 422 if form.errors else 200


@bp.get("/outbox")
def outbox() -> str:
    query = select(OutboxEmail).order_by(OutboxEmail.created_at.desc(), OutboxEmail.id.desc())
    if request.args.get("to"):
        query = query.where(OutboxEmail.to == services.normalize_email(request.args["to"]))
    page = db.paginate(query, per_page=25)
    return render_template("admin/outbox.html", page=page)


@bp.get("/outbox/<int:message_id>")
def outbox_message(message_id: int) -> str:
    return render_template(
        "admin/outbox_message.html", message=db.get_or_404(OutboxEmail, message_id)
    )


@bp.get("/audit")
def audit_log() -> str:
    page = db.paginate(
        select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()),
        per_page=50,
    )
    actors = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_({e.actor_id for e in page.items if e.actor_id}))
        )
    }
    return render_template("admin/audit.html", page=page, actors=actors)
