"""Finding 3: only http(s) links are saved, and no stored link becomes a live script href."""

import pytest

from portal.extensions import db
from tests import factories
from tests.security.conftest import fresh, sign_in

HOSTILE = [
    "javascript://x.com/%0aalert(1)",
    "JavaScript:alert(document.cookie)//x.com",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==.x.com",
    "vbscript://x.com/msgbox",
    "java\tscript://x.com/alert(1)",
]


@pytest.mark.parametrize("link", HOSTILE)
def test_a_script_link_is_refused_at_save_and_the_input_kept(client, link):
    user = factories.make_user("applicant")
    db.session.commit()
    sign_in(client, user.email)
    response = client.post(
        "/me/profile", data={"action": "draft", "city": "Leeds", "links": f"x.com/me\n{link}"}
    )
    assert response.status_code == 422
    assert "is not a web address" in response.get_data(as_text=True)
    db.session.refresh(user.applicant)
    assert user.applicant.links in (None, [])


def test_plain_and_web_links_are_saved_as_https(client):
    user = factories.make_user("applicant")
    db.session.commit()
    sign_in(client, user.email)
    response = client.post(
        "/me/profile",
        data={"action": "draft", "links": "github.com/ana\nhttp://ana.example.org/cv"},
    )
    assert response.status_code == 302
    db.session.refresh(user.applicant)
    assert user.applicant.links == ["https://github.com/ana", "http://ana.example.org/cv"]


def test_links_stored_before_the_check_are_not_live_on_the_candidate_page(client):
    applicant = factories.make_applicant(
        stage="profile_complete", links=[*HOSTILE, "https://github.com/ana"]
    )
    recruiter = factories.make_user("recruiter")
    db.session.commit()
    sign_in(client, recruiter.email)
    page = fresh(client, f"/recruiter/candidates/{applicant.id}").get_data(as_text=True)
    assert 'href="https://github.com/ana"' in page
    # What a browser would run: it ignores blanks and control characters inside the scheme.
    hrefs = ["".join(c for c in h.split('"')[0] if c > " ").lower() for h in page.split('href="')]
    assert not [h for h in hrefs[1:] if h.startswith(("javascript", "data", "vbscript"))]
    assert "alert(1)" in page  # still shown as text, for the recruiter to see


def test_the_filter_allows_mailto_only_when_asked():
    from portal.links import safe_href

    assert safe_href("mailto:ana@example.org") is None
    assert safe_href("mailto:ana@example.org", allow_mailto=True) == "mailto:ana@example.org"
    assert safe_href("https://example.org/x") == "https://example.org/x"
    assert safe_href("//evil.example.org") is None
