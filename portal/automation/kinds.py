"""The vocabulary of rules: triggers, actions, and the default rules the issue asks for."""

from dataclasses import dataclass

# trigger -> (label, the stage a subject must be in for it to hold)
TRIGGERS: dict[str, tuple[str, str]] = {
    "assessment_passed": ("Assessment passed", "assessed_passed"),
    "assessment_failed": ("Assessment failed", "assessed_failed"),
    "profile_incomplete": ("Profile incomplete for N days", "applied"),
    "shortlisted_seat": ("Shortlisted and the global proposal has a seat", "shortlisted"),
}

# action -> (label, the stage it moves to; None: no move)
ACTIONS: dict[str, tuple[str, str | None]] = {
    "shortlist": ("Shortlist", "shortlisted"),
    "reject": ("Reject (with reason)", "rejected"),
    "remind": ("Send a reminder", None),
    "withdraw": ("Withdraw", "withdrawn"),
    "offer": ("Make the offer", "offered"),
    "offer_confirm": ("Queue the offer for one-click confirmation", None),
}

# Which actions make sense after which trigger (the form refuses the rest).
ALLOWED: dict[str, frozenset[str]] = {
    "assessment_passed": frozenset({"shortlist", "reject"}),
    "assessment_failed": frozenset({"reject"}),
    "profile_incomplete": frozenset({"remind", "withdraw"}),
    "shortlisted_seat": frozenset({"offer", "offer_confirm"}),
}

# Why an item needs a person (code -> label on the recruiter's queue).
REVIEW_REASONS: dict[str, str] = {
    "integrity": "Integrity signals on the assessment",
    "borderline": "Score within the tolerance of a bar",
    "resume_flag": "Resume flagged",
    "below_rule": "Passed, but below the rule's score",
    "undone": "Automatic rejection undone by a recruiter",
    "changed": "Changed before a scheduled action was due",
    "action_failed": "The automatic action failed (offer refused, email did not render)",
}


@dataclass(frozen=True)
class RuleSpec:
    name: str
    trigger: str
    action: str
    days: int | None = None
    min_score: float | None = None
    exit_reason: str | None = None
    delay_hours: int = 0
    template_key: str | None = None


DEFAULT_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "Shortlist a clear pass",
        "assessment_passed",
        "shortlist",
        min_score=70.0,  # the pass score: near-bar results are caught by the tolerance
        template_key="automation_shortlisted",
    ),
    RuleSpec(
        "Reject a clear fail after 24 h",
        "assessment_failed",
        "reject",
        exit_reason="assessment",
        delay_hours=24,
        template_key="automation_rejected_assessment",
    ),
    RuleSpec(
        "Remind after 7 days",
        "profile_incomplete",
        "remind",
        days=7,
        template_key="automation_profile_reminder",
    ),
    RuleSpec(
        "Withdraw after 21 days",
        "profile_incomplete",
        "withdraw",
        days=21,
        exit_reason="no_response",
        template_key="automation_withdrawn",
    ),
    RuleSpec("Offer a free seat (confirm)", "shortlisted_seat", "offer_confirm"),
)

# key -> (name, subject, body): created when the default rules are, editable like any template.
DEFAULT_TEMPLATES: dict[str, tuple[str, str, str]] = {
    "automation_shortlisted": (
        "Shortlisted (automatic)",
        "You are on the shortlist for {{ posting_title }}",
        "Hello {{ first_name }},\n\nYour assessment result puts you on the shortlist for "
        "{{ posting_title }}. We will write as soon as a project has a seat for you.\n\n"
        "{{ portal_url }}\n",
    ),
    "automation_rejected_assessment": (
        "Rejected after the assessment (automatic)",
        "Your application for {{ posting_title }}",
        "Hello {{ first_name }},\n\nThank you for taking the assessment. Your result did not reach "
        "the level our current projects need, so we will not continue with this application."
        "{% if retake_date %}\n\nYou may take the assessment again from {{ retake_date }}."
        "{% endif %}\n\n{{ portal_url }}\n",
    ),
    "automation_profile_reminder": (
        "Profile reminder (automatic)",
        "Finish your profile for {{ posting_title }}",
        "Hello {{ first_name }},\n\nYour application for {{ posting_title }} is waiting for your "
        "profile. It takes about ten minutes: {{ portal_url }}\n",
    ),
    "automation_withdrawn": (
        "Withdrawn after no response (automatic)",
        "We closed your application for {{ posting_title }}",
        "Hello {{ first_name }},\n\nWe did not hear back from you, so we closed your application "
        "for {{ posting_title }}. You are welcome to apply again: {{ portal_url }}\n",
    ),
}
