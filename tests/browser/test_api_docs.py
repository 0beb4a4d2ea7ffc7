import pytest

pytestmark = pytest.mark.browser


def test_api_docs_render_the_schema_under_the_csp(page):
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if msg.type == "error" else None)
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(("http://127.0.0.1", "data:"))
            else None
        ),
    )
    page.goto("/api/v1/docs")
    page.get_by_text("Talent Portal API").first.wait_for()
    assert page.locator(".opblock-summary-path", has_text="/api/v1/candidates").first.is_visible()
    assert page.locator(".opblock").count() >= 14
    assert not [v for v in violations if "Content Security Policy" in v], violations
    assert outside == []
