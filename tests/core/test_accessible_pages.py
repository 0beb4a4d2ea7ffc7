"""Server-rendered accessibility contracts that need no browser: errors tied to their fields."""

import re
from pathlib import Path


def test_a_failed_form_ties_each_error_to_its_field_and_summarises_them(client):
    response = client.post(
        "/auth/signup", data={"name": "", "email": "zoe@example.org", "password": "short"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)

    password = re.search(r"<input[^>]*\bid=\"password\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in password
    assert 'aria-describedby="password-hint password-error-1"' in password
    assert 'id="password-hint"' in html and 'id="password-error-1"' in html
    email = re.search(r"<input[^>]*\bid=\"email\"[^>]*>", html).group(0)
    assert "aria-invalid" not in email  # a valid field is not marked

    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert "autofocus" in summary and 'tabindex="-1"' in summary
    assert '<a href="#name">' in summary and '<a href="#password">' in summary
    assert html.index("error-summary") < html.index("<form")  # above the form


def test_a_page_without_errors_has_no_summary(client):
    html = client.get("/auth/signup").get_data(as_text=True)
    assert "error-summary" not in html and "aria-invalid" not in html


TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_templates_have_no_empty_table_headers_and_only_named_navs():
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(TEMPLATES)
        problems += [f"{name}: empty <th>" for _ in re.findall(r"<th[^>]*>\s*</th>", text)]
        problems += [
            f"{name}: {tag} has no aria-label"
            for tag in re.findall(r"<nav\b[^>]*>", text)
            if "aria-label" not in tag
        ]
    assert not problems, problems
