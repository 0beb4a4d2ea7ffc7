"""Admins manage staff accounts."""

from portal.extensions import db
from tests import factories


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


def test_admin_sees_staff_list(client, auth):
    auth.as_role("admin")
    factories.make_user("recruiter", email="r1@example.org")
    db.session.commit()
    assert "r1@example.org" in client.get("/admin/users").get_data(as_text=True)
