"""Who may reach every route: each endpoint has an explicit rule, and the app obeys it.

Adding a route without adding its rule to ``RULES`` fails ``test_every_route_has_a_rule``;
a rule the app does not enforce fails ``test_role_matrix``.
"""

import re

import pytest
from flask import Flask
from werkzeug.routing import Rule

ROLES = ("anonymous", "applicant", "recruiter", "admin")
PUBLIC = frozenset(ROLES)
SIGNED_IN = frozenset({"applicant", "recruiter", "admin"})
APPLICANT = frozenset({"applicant"})
STAFF = frozenset({"recruiter", "admin"})
ADMIN = frozenset({"admin"})
TOKEN = frozenset()  # nobody by session: the API takes a bearer token


def _rules(roles: frozenset[str], *endpoints: str) -> dict[str, frozenset[str]]:
    return dict.fromkeys(endpoints, roles)


# endpoint -> the roles that may use it (anonymous included for public pages).
RULES: dict[str, frozenset[str]] = {
    **_rules(PUBLIC, "static", "main.index", "main.healthz", "main.terms", "main.favicon"),
    **_rules(
        PUBLIC,
        "auth.signup",
        "auth.signin",
        "auth.verify_email",
        "auth.request_reset",
        "auth.reset_password",
    ),
    # The public job board and each posting's page (drafts 404; tests/postings).
    **_rules(PUBLIC, "jobs.board", "jobs.show", "jobs.sitemap"),
    **_rules(
        ADMIN,
        "postings.index",
        "postings.create",
        "postings.edit",
        "postings.move",
        "postings.duplicate",
    ),
    # Stripe calls them; the signature is the authentication (checked in tests/payments).
    **_rules(PUBLIC, "stripe_webhooks.stripe_webhook", "stripe_webhooks.stripe_connect_webhook"),
    **_rules(
        SIGNED_IN,
        "main.dashboard",
        "auth.signout",
        "auth.resend_verification",
        "auth.account",
        "auth.change_password",
        "auth.signout_everywhere",
    ),
    # The gold audit panel: trusted raters are staff.
    **_rules(STAFF, "assessment_panel.queue", "assessment_panel.submit"),
    **_rules(
        APPLICANT,
        "applicants.dashboard",
        "applicants.profile",
        "applicants.resume",
        "applicants.resume_status",
        "assessment.rules",
        "assessment.start",
        "assessment.resume",
        "assessment.item",
        "assessment.save_form",
        "assessment.autosave",
        "assessment.event",
        "assessment.confirm_submit",
        "assessment.submit",
        "assessment.result",
        "assessment.guidelines",
        "offers.index",
        "offers.show",
        "offers.accept",
        "offers.decline",
        "offers.guideline",
        "payments.index",
        "payments.onboard",
        "payments.refresh",
        "payments.stripe_return",
        "payments.timesheet_week",
        "payments.save_timesheet",
        "payments.statement",
        "work.index",
        "work.project",
        "work.next_task",
        "work.submit",
        "work.skip",
        "work.history_page",
        "privacy.index",
        "privacy.export",
        "privacy.delete",
    ),
    # Applying to a posting (visitors are sent to sign in first, with `next`).
    **_rules(APPLICANT, "applications.apply", "applications.withdraw"),
    **_rules(STAFF, "application_staff.set_owner"),
    # The original resume files: their owner and staff (ownership is checked per file).
    **_rules(SIGNED_IN, "resume_files.download"),
    **_rules(
        STAFF,
        "recruiters.dashboard",
        "recruiters.dashboard_csv",
        "recruiters.board",
        "recruiters.candidates",
        "recruiters.candidates_csv",
        "recruiters.candidate",
        "recruiters.move",
        "recruiters.shortlist",
        "recruiters.add_note",
        "recruiters.scorecard",
        "recruiters.add_tag",
        "recruiters.remove_tag",
        "recruiters.bulk",
        "recruiters.templates",
        "recruiters.edit_template",
        "recruiters.preview_template",
        "recruiters.save_search",
        "recruiters.run_search",
        "recruiters.rename_search",
        "recruiters.delete_search",
        "recruiters.exit_report",
        "recruiters.email_candidate",
        "automation.index",
        "automation.undo",
        "automation.confirm",
        "automation.resolve",
    ),
    **_rules(
        ADMIN,
        "admin.dashboard",
        "admin.users",
        "admin.outbox",
        "admin.outbox_message",
        "admin.audit_log",
        "assessment_admin.items",
        "assessment_admin.review",
        "assessment_admin.item_new",
        "assessment_admin.item_edit",
        "assessment_admin.item_retire",
        "assessment_admin.item_review",
        "assessment_admin.guidelines",
        "assessment_admin.guideline_new",
        "assessment_admin.guideline_view",
        "assessment_admin.attempts",
        "assessment_admin.attempt_view",
        "assessment_admin.item_to_panel",
        "assessment_admin.rationales",
        "assessment_admin.rationale_grade",
        "projects.index",
        "projects.create",
        "projects.show",
        "projects.edit",
        "projects.matches",
        "projects.offer",
        "projects.withdraw",
        "projects.pause_assignment",
        "projects.resume_assignment",
        "projects.end_assignment",
        "projects.close",
        "projects.proposal",
        "projects.proposal_start",
        "projects.proposal_run",
        "projects.proposal_status",
        "projects.rate_card",
        "projects.guidelines",
        "projects.clients",
        "projects.client",
        "projects.candidate_lookup",
        "projects.candidate",
        "payments_admin.admin_timesheets",
        "payments_admin.review_timesheet",
        "payments_admin.admin_payouts",
        "payments_admin.run_payouts_now",
        "payments_admin.payout_run",
        "payments_admin.reconcile",
        "work_admin.batches_page",
        "work_admin.upload",
        "work_admin.batch",
        "work_admin.quality_page",
        "work_admin.decide_pause",
        "work_admin.set_tier",
        "work_admin.download",
        "work_admin.batch_status",
        "automation_admin.rules_index",
        "automation_admin.rule_new",
        "automation_admin.rule_edit",
        "automation_admin.dry_run",
        "automation_admin.add_defaults",
        "automation_admin.pause",
    ),
    **_rules(STAFF, "account.index", "account.create_token", "account.revoke_token"),
    # The API's document, its page and its 404/405 fallback need no token.
    **_rules(PUBLIC, "api.openapi", "api.docs", "api.fallback"),
    # Bearer tokens only: a session is no credential, whoever it belongs to (tests/api).
    **_rules(
        TOKEN,
        "api.token_info",
        "api.list_candidates",
        "api.get_candidate",
        "api.stage_history",
        "api.assessment_summary",
        "api.move_candidate",
        "api.list_projects",
        "api.get_project",
        "api.list_assignments",
        "api.list_offers",
        "api.make_offer",
        "api.withdraw_offer",
        "api.list_timesheets",
        "api.list_payouts",
        "api.push_batch",
        "api.list_batches",
        "api.get_batch",
        "api.list_preferences",
    ),
}


def url_for_rule(rule: Rule) -> str:
    """The rule's path with placeholders: the role guard runs before any object lookup."""
    path = re.sub(r"<(?:int(?:\([^)]*\))?:)?(\w+)>", "1", rule.rule)
    return re.sub(r"<[^>]+>", "x", path)


def routes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, path, method) for every route and method the app answers."""
    out = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            out.append((rule.endpoint, url_for_rule(rule), method))
    return sorted(out)


def test_every_route_has_a_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(RULES))
    assert not missing, f"routes without an access rule in RULES: {missing}"
    stale = sorted(set(RULES) - endpoints)
    assert not stale, f"rules for routes that no longer exist: {stale}"


def _signin_redirect(response) -> bool:
    return response.status_code == 302 and "/auth/signin" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(app, client, auth, role):
    """Everyone outside a rule is refused, by any method; everyone inside reaches its pages."""
    if role != "anonymous":
        auth.as_role(role)
    for endpoint, path, method in routes(app):
        if endpoint == "static":
            continue
        allowed = RULES[endpoint]
        if allowed is TOKEN:
            response = client.open(path, method=method)
            assert response.status_code == 401, (role, method, path, response.status_code)
        elif role not in allowed:
            # The guard answers before the view runs, so even a POST changes nothing.
            response = client.open(path, method=method)
            response.close()  # a streamed CSV holds its request context until closed
            if role == "anonymous":
                assert _signin_redirect(response) or response.status_code == 401, (
                    role,
                    method,
                    path,
                    response.status_code,
                )
            else:
                assert response.status_code == 403, (role, method, path, response.status_code)
        elif method == "GET":
            response = client.get(path)
            response.close()
            assert response.status_code not in (401, 403), (role, path, response.status_code)
            assert not _signin_redirect(response), (role, path)


EXPECTED = {
    # path: status for anonymous, applicant, recruiter, admin
    "/": (200, 302, 302, 302),
    "/healthz": (200, 200, 200, 200),
    "/auth/signin": (200, 302, 302, 302),
    "/auth/signup": (200, 302, 302, 302),
    "/me/": (302, 200, 403, 403),
    "/recruiter/": (302, 403, 200, 200),
    "/admin/": (302, 403, 403, 200),
    "/admin/users": (302, 403, 403, 200),
    "/admin/outbox": (302, 403, 403, 200),
    "/admin/audit": (302, 403, 403, 200),
    "/jobs": (200, 200, 200, 200),
    "/admin/postings/": (302, 403, 403, 200),
}


@pytest.mark.parametrize("role_index", range(4))
def test_expected_statuses(client, auth, role_index):
    role = ROLES[role_index]
    if role != "anonymous":
        auth.as_role(role)
    for path, statuses in EXPECTED.items():
        assert client.get(path).status_code == statuses[role_index], (role, path)


def test_anonymous_is_sent_to_signin_with_next(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert "/auth/signin?next=%2Fadmin%2Fusers" in response.headers["Location"]


def test_error_pages_match_the_site(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "We could not find that page" in page and "Talent Portal" in page


def test_json_errors_for_clients_that_ask_for_json(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"]
