"""The rule engine: apply a posting's enabled rules to its subjects, exactly once each.

Protocol. For each (rule, subject, action) the ledger ``RuleAction`` holds one row (a unique
key); a subject with a row is never looked at by that rule again, so running twice, from beat
and from an event at once, does nothing more (a concurrent duplicate fails the unique key and
rolls back). A decision is one of: act now (move, email, ``done``), act later (``scheduled``
with ``due_at``: a recruiter may undo until then, and nothing has been sent), queue an offer for
confirmation (``confirm``), or hold (``held``: a ``ReviewItem`` says why a person must decide).
Every automatic move is audited as ``automation.applied`` with the rule id and version beside the
pipeline's own ``stage.moved``. Public functions are use cases (one commit each).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal import audit, clock
from portal.automation import subjects
from portal.automation.decide import Decision, Facts, decide
from portal.automation.kinds import ACTIONS, REVIEW_REASONS, TRIGGERS
from portal.automation.subjects import Subject
from portal.extensions import db
from portal.models import (
    AutomationRule,
    EmailTemplate,
    Posting,
    PostingAutomation,
    Project,
    ReviewItem,
    RuleAction,
    User,
)
from portal.pipeline import TransitionError
from portal.projects.services.rules import ProjectError
from portal.recruiters.services import ActionError, render_template_text, template_context
from portal.transactions import use_case

BATCH = 500  # subjects per rule per run; the next run picks up the rest
MAX_TRIES = 3  # a scheduled action that fails this often goes to a person


@dataclass
class Report:
    acted: int = 0
    scheduled: int = 0
    held: int = 0
    confirm: int = 0
    executed: int = 0
    details: list[str] = field(default_factory=list)

    def add(self, other: "Report") -> None:
        for name in ("acted", "scheduled", "held", "confirm", "executed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def is_paused(posting_id: int) -> bool:
    row = db.session.get(PostingAutomation, posting_id)
    return bool(row and row.paused)


def enabled_rules(posting_id: int) -> list[AutomationRule]:
    if is_paused(posting_id):
        return []
    return list(
        db.session.scalars(
            select(AutomationRule)
            .where(AutomationRule.posting_id == posting_id, AutomationRule.enabled)
            .order_by(AutomationRule.id)
        )
    )


def facts_for(subject: Subject, now: datetime, seat: dict[str, Any] | None = None) -> Facts:
    attempt = subjects.latest_attempt(subject)
    result = (attempt.result or {}) if attempt is not None else {}
    return Facts(
        stage=subject.stage,
        stage_changed_at=subject.stage_changed_at,
        now=now,
        score=attempt.score if attempt is not None else None,
        per_tier=result.get("per_tier") or {},
        signals=list(attempt.signals or []) if attempt is not None else [],
        resume_flag=subjects.resume_flag(subject),
        seat=seat,
    )


def retake_date(subject: Subject) -> str | None:
    from portal.assessment.attempts import eligibility_after  # the assessment owns the rule

    attempt = subjects.latest_attempt(subject)
    if attempt is None:
        return None
    when = eligibility_after(subject.applicant, attempt)
    return when.strftime("%d %B %Y") if when else None


def _email(rule: AutomationRule, subject: Subject, to_stage: str | None) -> None:
    if not rule.template_key:
        return
    template = db.session.scalar(
        select(EmailTemplate).where(EmailTemplate.key == rule.template_key)
    )
    if template is None:
        return
    from portal.mail import send_email

    context = template_context(subject.applicant, to_stage, subject.application)
    if rule.action == "reject":
        context["retake_date"] = retake_date(subject) or ""
    subject_line, body = render_template_text(template.subject, template.body, context)
    send_email(
        subject.applicant.user.email,
        subject_line,
        body,
        template=template.key,
        applicant_id=subject.applicant.id,
    )


def _hold(
    rule: AutomationRule | None, subject: Subject, reasons: tuple[tuple[str, str], ...]
) -> None:
    for code, detail in reasons:
        exists = db.session.scalar(
            select(ReviewItem.id).where(
                ReviewItem.subject_type == subject.type,
                ReviewItem.subject_id == subject.id,
                ReviewItem.reason == code,
                ReviewItem.stage == subject.stage,
            )
        )
        if exists is None:
            db.session.add(
                ReviewItem(
                    posting_id=subject.posting.id,
                    subject_type=subject.type,
                    subject_id=subject.id,
                    applicant_id=subject.applicant.id,
                    stage=subject.stage,
                    reason=code,
                    detail=detail,
                    rule_id=rule.id if rule else None,
                    answer_by=subject.answer_by,
                )
            )
    audit.record(
        "automation.held",
        actor=None,
        subject_type=subject.type,
        subject_id=subject.id,
        applicant_id=subject.applicant.id,
        reason="; ".join(f"{REVIEW_REASONS[c]}: {d}" for c, d in reasons),
        rule_id=rule.id if rule else None,
        rule_version=rule.version if rule else None,
    )


def _perform(
    rule: AutomationRule, subject: Subject, row: RuleAction, actor: User | None = None
) -> None:
    """Do the action now: move (audited with the rule and version), email, mark done."""
    to_stage = ACTIONS[rule.action][1]
    label = f"rule “{rule.name}” (#{rule.id} v{row.rule_version})"
    if rule.action == "offer":
        _make_offer(subject, row, actor)
    elif to_stage is not None:
        subjects.move(
            subject, to_stage, actor=actor, reason=f"By {label}", exit_reason=rule.exit_reason
        )
    _email(rule, subject, to_stage)
    _done(row, rule, subject, actor=actor, reason=f"By {label}", action=rule.action, to=to_stage)


def _done(
    row: RuleAction,
    rule: AutomationRule,
    subject: Subject,
    *,
    actor: User | None,
    reason: str,
    action: str,
    to: str | None,
) -> None:
    """Close the ledger row and audit the move with the rule and its version (flushes nothing)."""
    row.status, row.done_at = "done", clock.now()
    audit.record(
        "automation.applied",
        actor=actor,
        subject_type=subject.type,
        subject_id=subject.id,
        applicant_id=subject.applicant.id,
        reason=reason,
        rule_id=rule.id,
        rule_version=row.rule_version,
        rule_action=action,
        to_stage=to,
    )


def _try_perform(rule: AutomationRule, subject: Subject, row: RuleAction) -> bool:
    """Perform inside a savepoint. A failure (an offer refused, a template that would not
    render in time) undoes only this subject: a scheduled action is tried again at the next
    run, up to MAX_TRIES; then, like an immediate one, it goes to a person with the reason."""
    savepoint = db.session.begin_nested()
    try:
        _perform(rule, subject, row)
    except (ProjectError, ActionError, TransitionError) as exc:
        savepoint.rollback()
        tries = int(row.detail.get("tries", 0)) + 1
        row.detail = {**row.detail, "tries": tries, "error": str(exc)}
        if row.status == "scheduled" and tries < MAX_TRIES:
            return False
        row.status = "failed"
        _hold(rule, subject, (("action_failed", str(exc)),))
        return False
    savepoint.commit()
    return True


def _make_offer(subject: Subject, row: RuleAction, actor: User | None) -> None:
    from portal.projects.services.offers import add_offer

    seat = row.detail
    project = db.session.get(Project, seat["project_id"])
    if project is None:
        raise ProjectError("The project no longer exists.")
    add_offer(
        project,
        subject.applicant.id,
        actor=actor,
        hours=int(seat["hours"]),
        rate_cents=int(seat["rate_cents"]),
    )


def apply(
    rule: AutomationRule, subject: Subject, now: datetime, seat: dict[str, Any] | None = None
) -> Decision:
    """Decide and record one (rule, subject); flushes only. Idempotent by the ledger key."""
    decision = decide(rule, facts_for(subject, now, seat))
    if decision.verdict == "skip":
        return decision
    row = RuleAction(
        rule_id=rule.id,
        rule_version=rule.version,
        posting_id=subject.posting.id,
        subject_type=subject.type,
        subject_id=subject.id,
        applicant_id=subject.applicant.id,
        action=rule.action,
        status="held",
        detail=dict(seat or {}),
    )
    savepoint = db.session.begin_nested()
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:  # someone else recorded it first: nothing more to do
        savepoint.rollback()
        return Decision("skip")
    if decision.verdict == "hold":
        _hold(rule, subject, decision.reasons)
    elif rule.action == "offer_confirm":
        row.status = "confirm"
    elif decision.due_at is not None:
        row.status, row.due_at = "scheduled", decision.due_at
        audit.record(
            "automation.scheduled",
            actor=None,
            subject_type=subject.type,
            subject_id=subject.id,
            applicant_id=subject.applicant.id,
            reason=f"{ACTIONS[rule.action][0]} due {decision.due_at:%d %b %H:%M} UTC",
            rule_id=rule.id,
            rule_version=rule.version,
        )
    else:
        _try_perform(rule, subject, row)
    savepoint.commit()
    return decision


def _seats(posting: Posting) -> dict[int, dict[str, Any]]:
    """applicant id -> the latest finished global proposal's offer for them, the rate kept in the
    posting's band. The proposal runs as its own job; beat only reads its result (the offer
    itself re-checks the seat, the hours and the band when it is made)."""
    from portal.projects.services.proposal_runs import latest_run, run_result

    run = latest_run()
    if run is None or run.status != "done":
        return {}
    return {
        offer.applicant_id: {
            "project_id": offer.project.id,
            "project": offer.project.title,
            "hours": offer.hours,
            "rate_cents": min(max(offer.quote.cents, posting.pay_min_cents), posting.pay_max_cents),
            "currency": posting.currency,
            "proposal_run": run.id,
        }
        for offer in run_result(run).offers
    }


def _run_rule(rule: AutomationRule, posting: Posting, now: datetime) -> Report:
    report = Report()
    stage = TRIGGERS[rule.trigger][1]
    # Only those the trigger can hold for: the others would be looked at (and skipped) each beat.
    cutoff = now - timedelta(days=rule.days or 0) if rule.trigger == "profile_incomplete" else None
    pending = subjects.pending(posting, stage, rule.id, rule.action, entered_before=cutoff)
    people = list(db.session.scalars(pending.limit(BATCH)))
    if not people:
        return report
    seats = _seats(posting) if rule.trigger == "shortlisted_seat" else {}
    for subject in subjects.wrap(posting, people):
        decision = apply(rule, subject, now, seats.get(subject.applicant.id))
        _count(report, rule, decision)
    return report


def _count(report: Report, rule: AutomationRule, decision: Decision) -> None:
    if decision.verdict == "hold":
        report.held += 1
    elif decision.verdict == "act":
        if rule.action == "offer_confirm":
            report.confirm += 1
        elif decision.due_at is not None:
            report.scheduled += 1
        else:
            report.acted += 1


@use_case
def run_posting(posting_id: int) -> Report:
    """Apply every enabled rule of a posting (unless paused), then what has fallen due."""
    report = Report()
    posting = db.session.get(Posting, posting_id)
    if posting is None:
        return report
    now = clock.now()
    for rule in enabled_rules(posting_id):
        report.add(_run_rule(rule, posting, now))
    report.add(_run_due(now, posting_id))
    return report


@use_case
def run_for_applicant(applicant_id: int) -> Report:
    """Right after an event (assessment scored, profile saved): this person's subjects only."""
    report = Report()
    now = clock.now()
    for subject in subjects.of_applicant(applicant_id):
        for rule in enabled_rules(subject.posting.id):
            if rule.trigger == "shortlisted_seat":
                continue  # needs the global proposal: beat's job
            _count(report, rule, apply(rule, subject, now))
    return report


def _run_due(now: datetime, posting_id: int) -> Report:
    report = Report()
    rows = db.session.scalars(
        select(RuleAction)
        .where(
            RuleAction.status == "scheduled",
            RuleAction.due_at <= now,
            RuleAction.posting_id == posting_id,
        )
        .order_by(RuleAction.due_at)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    for row in list(rows):
        rule = db.session.get(AutomationRule, row.rule_id)
        posting = db.session.get(Posting, row.posting_id)
        subject = subjects.get(row.subject_type, row.subject_id, posting) if posting else None
        if rule is None or subject is None:
            row.status = "stale"
            continue
        # Still true at the time it falls due? A person may have moved them, or a new signal.
        decision = decide(rule, facts_for(subject, now))
        if decision.verdict == "hold":
            row.status = "held"
            _hold(rule, subject, decision.reasons)
            report.held += 1
        elif decision.verdict == "skip":
            row.status = "stale"
        elif _try_perform(rule, subject, row):
            report.executed += 1
    return report


@use_case
def run_all() -> Report:
    """Beat: every posting that has an enabled rule."""
    report = Report()
    ids = db.session.scalars(
        select(AutomationRule.posting_id).where(AutomationRule.enabled).distinct()
    )
    for posting_id in list(ids):
        report.add(run_posting(posting_id))
    return report


class AutomationError(ValueError):
    """An undo or confirmation that cannot be done; the message says why."""


@use_case
def undo(action_id: int, *, actor: User) -> RuleAction:
    """Cancel a scheduled action before it is due (nothing was moved or sent); a person decides."""
    row = db.session.scalar(select(RuleAction).where(RuleAction.id == action_id).with_for_update())
    if row is None or row.status != "scheduled":
        raise AutomationError("This action is no longer waiting; it cannot be undone.")
    if row.due_at is not None and row.due_at <= clock.now():
        raise AutomationError("This action is already due; it may have been sent.")
    row.status, row.undone_by_id = "undone", actor.id
    posting = db.session.get(Posting, row.posting_id)
    subject = subjects.get(row.subject_type, row.subject_id, posting) if posting else None
    audit.record(
        "automation.undone",
        actor=actor,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        applicant_id=row.applicant_id,
        rule_id=row.rule_id,
        rule_version=row.rule_version,
    )
    if subject is not None:
        rule = db.session.get(AutomationRule, row.rule_id)
        _hold(rule, subject, (("undone", f"by {actor.email}"),))
    return row


@use_case
def confirm_offer(action_id: int, *, actor: User) -> RuleAction:
    """One click: make the offer a rule queued (the rate stays within the posting's band)."""
    row = db.session.scalar(select(RuleAction).where(RuleAction.id == action_id).with_for_update())
    if row is None or row.status != "confirm":
        raise AutomationError("This offer is no longer waiting for confirmation.")
    rule = db.session.get(AutomationRule, row.rule_id)
    posting = db.session.get(Posting, row.posting_id)
    subject = subjects.get(row.subject_type, row.subject_id, posting) if posting else None
    if rule is None or subject is None:
        raise AutomationError("The rule or the applicant is gone.")
    from portal.projects.services.offers import add_offer

    project = db.session.get(Project, row.detail.get("project_id"))
    if project is None:
        raise AutomationError("The project no longer exists.")
    try:
        add_offer(
            project,
            subject.applicant.id,
            actor=actor,
            hours=int(row.detail["hours"]),
            rate_cents=int(row.detail["rate_cents"]),
        )
    except ProjectError as exc:
        raise AutomationError(str(exc)) from exc
    _done(
        row,
        rule,
        subject,
        actor=actor,
        reason=f"Offer queued by rule “{rule.name}” (#{rule.id} v{row.rule_version}), confirmed",
        action="offer",
        to="offered",
    )
    return row


@use_case
def resolve(item_id: int, *, actor: User) -> ReviewItem:
    """Mark a queue item handled (a person decided)."""
    item = db.get_or_404(ReviewItem, item_id)
    if item.resolved_at is None:
        item.resolved_at, item.resolved_by_id = clock.now(), actor.id
    return item
