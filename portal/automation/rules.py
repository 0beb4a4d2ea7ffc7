"""Editing rules (each edit bumps the version), the defaults, pausing a posting, and the dry run."""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from portal import audit, clock
from portal.automation import subjects
from portal.automation.decide import decide
from portal.automation.engine import facts_for
from portal.automation.kinds import (
    ACTIONS,
    ALLOWED,
    DEFAULT_RULES,
    DEFAULT_TEMPLATES,
    REVIEW_REASONS,
    TRIGGERS,
)
from portal.extensions import db
from portal.models import (
    Applicant,
    Application,
    AuditEvent,
    AutomationRule,
    EmailTemplate,
    Posting,
    PostingAutomation,
    User,
)
from portal.pipeline import EXIT_REASONS
from portal.transactions import use_case

EDITABLE = (
    "name",
    "trigger",
    "days",
    "min_score",
    "action",
    "exit_reason",
    "delay_hours",
    "template_key",
    "enabled",
)
DRY_RUN_DAYS = 30


class RuleError(ValueError):
    """A rule that cannot be saved; ``errors`` maps each field to what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def check(values: dict[str, Any]) -> dict[str, str]:
    """Every problem with a rule's values at once (field -> message)."""
    errors: dict[str, str] = {}
    trigger, action = values.get("trigger"), values.get("action")
    if trigger not in TRIGGERS:
        errors["trigger"] = "Choose a trigger."
    if action not in ACTIONS:
        errors["action"] = "Choose an action."
    elif trigger in TRIGGERS and action not in ALLOWED[trigger]:
        allowed = ", ".join(ACTIONS[a][0].lower() for a in sorted(ALLOWED[trigger]))
        errors["action"] = f"After “{TRIGGERS[trigger][0]}” a rule can only: {allowed}."
    if trigger == "profile_incomplete" and not values.get("days"):
        errors["days"] = "Say after how many days (1 or more)."
    score = values.get("min_score")
    if score is not None and not 0 <= score <= 100:
        errors["min_score"] = "A score is between 0 and 100."
    delay = values.get("delay_hours") or 0
    if not 0 <= delay <= 24 * 14:
        errors["delay_hours"] = "The delay is between 0 and 336 hours (two weeks)."
    if values.get("exit_reason") and values["exit_reason"] not in EXIT_REASONS:
        errors["exit_reason"] = "Choose a reason from the list."
    elif action == "reject" and not values.get("exit_reason"):
        errors["exit_reason"] = "A rejection needs a reason the applicant reads."
    key = values.get("template_key")
    if key and db.session.scalar(select(EmailTemplate.id).where(EmailTemplate.key == key)) is None:
        errors["template_key"] = f"No email template has the key {key!r}."
    return errors


@use_case
def save_rule(rule: AutomationRule, values: dict[str, Any], *, actor: User) -> AutomationRule:
    """Create or edit a rule; any change bumps its version (audited). Raises RuleError."""
    errors = check(values)
    if errors:
        raise RuleError(errors)
    changed = [name for name in EDITABLE if getattr(rule, name) != values.get(name)]
    if rule.id is not None and not changed:
        return rule
    for name in EDITABLE:
        setattr(rule, name, values.get(name))
    rule.delay_hours = rule.delay_hours or 0
    rule.updated_by_id = actor.id
    if rule.id is None:
        rule.version = 1
        db.session.add(rule)
    else:
        rule.version = (rule.version or 0) + 1
    db.session.flush()
    audit.record(
        "automation.rule_saved",
        actor=actor,
        subject_type="automation_rule",
        subject_id=rule.id,
        posting_id=rule.posting_id,
        version=rule.version,
        changed=changed,
    )
    return rule


def _ensure_templates(actor: User | None) -> None:
    for key, (name, subject, body) in DEFAULT_TEMPLATES.items():
        if db.session.scalar(select(EmailTemplate.id).where(EmailTemplate.key == key)) is None:
            db.session.add(
                EmailTemplate(
                    key=key,
                    name=name,
                    subject=subject,
                    body=body,
                    updated_by_id=actor.id if actor else None,
                )
            )
    db.session.flush()


@use_case
def add_default_rules(
    posting: Posting, *, actor: User | None, enabled: bool = False
) -> list[AutomationRule]:
    """The issue's rules for a posting (those it lacks, by name), off unless `enabled`."""
    _ensure_templates(actor)
    have = set(
        db.session.scalars(
            select(AutomationRule.name).where(AutomationRule.posting_id == posting.id)
        )
    )
    added = []
    for spec in DEFAULT_RULES:
        if spec.name in have:
            continue
        rule = AutomationRule(
            posting_id=posting.id,
            name=spec.name,
            trigger=spec.trigger,
            action=spec.action,
            days=spec.days,
            min_score=spec.min_score,
            exit_reason=spec.exit_reason,
            delay_hours=spec.delay_hours,
            template_key=spec.template_key,
            enabled=enabled,
            version=1,
            updated_by_id=actor.id if actor else None,
        )
        db.session.add(rule)
        added.append(rule)
    db.session.flush()
    for rule in added:
        audit.record(
            "automation.rule_saved",
            actor=actor,
            subject_type="automation_rule",
            subject_id=rule.id,
            posting_id=posting.id,
            version=1,
            changed=["created from the defaults"],
        )
    return added


@use_case
def set_paused(posting: Posting, paused: bool, *, actor: User) -> None:
    """Pause or resume every rule of a posting at once."""
    row = db.session.get(PostingAutomation, posting.id)
    if row is None:
        row = PostingAutomation(posting_id=posting.id)
        db.session.add(row)
    row.paused, row.changed_by_id = paused, actor.id
    audit.record(
        "automation.paused" if paused else "automation.resumed",
        actor=actor,
        subject_type="posting",
        subject_id=posting.id,
    )


@dataclass
class DryRun:
    """What a rule would have done to the subjects that entered its stage in the window."""

    since: datetime
    looked_at: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    rows: list[dict[str, Any]] = field(default_factory=list)


def dry_run(rule: AutomationRule, *, days: int = DRY_RUN_DAYS, limit: int = 200) -> DryRun:
    """Replay the rule over subjects that entered its trigger stage in the last `days` days,
    as they stand now, at the moment the trigger held for them. Reads only; writes nothing."""
    posting = db.session.get(Posting, rule.posting_id)
    now = clock.now()
    since = now - timedelta(days=days)
    report = DryRun(since=since)
    if posting is None:
        return report
    stage = TRIGGERS[rule.trigger][1]
    for applicant, at in _entered(posting, stage, since):
        subject = subjects.on_posting(posting, applicant)
        if subject is None:
            continue
        # As it stood when the trigger held: in the stage, `days` after entering it.
        when = at + timedelta(days=rule.days or 0) if rule.trigger == "profile_incomplete" else at
        facts = replace(facts_for(subject, now), stage=stage, stage_changed_at=at, now=when)
        report.looked_at += 1
        decision = decide(rule, facts)
        if decision.verdict == "skip" and rule.trigger == "shortlisted_seat":
            outcome = "would check for a seat"
        elif decision.verdict == "skip":
            outcome = "not yet due"
        elif decision.verdict == "hold":
            outcome = "to a person: " + ", ".join(REVIEW_REASONS[c] for c, _ in decision.reasons)
        else:
            outcome = ACTIONS[rule.action][0]
        report.counts[decision.verdict] += 1
        if len(report.rows) < limit:
            report.rows.append(
                {
                    "applicant": applicant,
                    "entered": at,
                    "verdict": decision.verdict,
                    "outcome": outcome,
                }
            )
    return report


def _entered(posting: Posting, stage: str, since: datetime) -> list[tuple[Applicant, datetime]]:
    """(applicant, when their application to `posting` entered `stage`) since `since`."""
    if stage == "applied":  # entering `applied` is applying, not a move
        rows = db.session.execute(
            select(Applicant, Application.created_at)
            .join(Application, Application.applicant_id == Applicant.id)
            .where(Application.posting_id == posting.id, Application.created_at >= since)
        ).all()
        return [(a, at) for a, at in rows if a.deleted_at is None]
    entered: dict[int, datetime] = {}
    events = db.session.execute(
        select(AuditEvent.applicant_id, AuditEvent.created_at, AuditEvent.details)
        .where(
            AuditEvent.action == "stage.moved",
            AuditEvent.created_at >= since,
            AuditEvent.applicant_id.is_not(None),
        )
        .order_by(AuditEvent.created_at)
    )
    for applicant_id, at, details in events:
        details = details or {}
        # One application: the move names no posting; several: it names the posting moved.
        if details.get("to_stage") == stage and details.get("posting_id", posting.id) == posting.id:
            entered[applicant_id] = at
    people = db.session.scalars(select(Applicant).where(Applicant.id.in_(list(entered))))
    return [(a, entered[a.id]) for a in people if a.deleted_at is None]
