"""Every registered GET route against every role: the expected status for each."""

import re

import pytest
from flask import Flask

from portal.extensions import db
from tests import factories

ROLES = ("anonymous", "applicant", "recruiter", "admin")

# Who may open pages under each URL prefix (longest prefix wins).
ACCESS = {
    "/admin/": {"admin"},
    "/recruiter/": {"recruiter", "admin"},
    "/me/": {"applicant"},
    "/resumes/": {"applicant", "recruiter", "admin"},  # original files; ownership per file
    "/assessment/": {"applicant"},
    "/projects/": {"admin"},
    "/payments/": {"applicant", "admin"},
    "/api/": set(),  # bearer tokens only: a session is no credential (tests/api)
    "/account/": {"recruiter", "admin"},
}
# Without a token: the document and its page; the fallback's unknown paths are 404 problems.
API_PUBLIC = {"/api/v1/openapi.json": 200, "/api/v1/docs": 200, "/api/v1/": 404, "/api/v1/x": 404}
PUBLIC_PREFIXES = ("/", "/auth/", "/static/", "/healthz", "/terms", "/favicon.ico", "/stripe/")


def allowed(path: str) -> set[str] | None:
    for prefix in sorted(ACCESS, key=len, reverse=True):
        if path.startswith(prefix):
            return set(ACCESS[prefix])
    return None


def get_routes(app: Flask) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        # Fill path arguments with placeholders: the guard runs before the object lookup.
        path = re.sub(r"<(?:int(?:\([^)]*\))?:)?(\w+)>", "1", rule.rule)
        path = re.sub(r"<[^>]+>", "x", path)
        paths.append(path)
    return sorted(set(paths))


def test_every_route_is_classified(app):
    for path in get_routes(app):
        assert allowed(path) is not None or path.startswith(PUBLIC_PREFIXES), path


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(app, client, auth, role):
    if role != "anonymous":
        auth.as_role(role)
    for path in get_routes(app):
        who = allowed(path)
        if who is None:
            continue
        status = client.get(path).status_code
        if path.startswith("/api/"):
            assert status == API_PUBLIC.get(path, 401), (role, path, status)
            continue
        if role in who:
            assert status not in (401, 403), (role, path, status)
            assert status != 302 or role != "anonymous", (role, path, status)
        elif role == "anonymous":
            assert status in (302, 401), (role, path, status)
        else:
            assert status == 403, (role, path, status)


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


def test_admin_creates_recruiter(client, auth):
    auth.as_role("admin")
    response = client.post(
        "/admin/users",
        data={
            "name": "Rae",
            "email": "Rae@Example.org",
            "role": "recruiter",
            "password": "staff-password-1",
        },
    )
    assert response.status_code == 302
    auth.logout()
    assert (
        auth.login("rae@example.org", "staff-password-1")
        .headers["Location"]
        .endswith("/recruiter/")
    )


def test_error_pages_match_the_site(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "We could not find that page" in page and "Talent Portal" in page


def test_json_errors_for_api(client):
    response = client.get("/api/does-not-exist")
    assert response.status_code == 404
    assert response.get_json()["error"]


def test_admin_sees_staff_list(client, auth):
    auth.as_role("admin")
    factories.make_user("recruiter", email="r1@example.org")
    db.session.commit()
    assert "r1@example.org" in client.get("/admin/users").get_data(as_text=True)
