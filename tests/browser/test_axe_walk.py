"""axe-core on every page a person of each role can reach by following links from their start.

The demo data (`seed-demo`) gives each role realistic pages: lists with rows, charts, offers,
timesheets, payouts. Pages are visited once per URL shape (ids and query values aside), and the
test fails on any serious or critical violation, listing them all.
"""

import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from portal.demo import seed_demo
from portal.demo.people import DEMO_PASSWORD
from tests.browser.axe import describe, run_axe, serious

pytestmark = pytest.mark.browser

PAGES_PER_ROLE = 40
# Not pages: files, feeds, health checks, and links that hand over to Stripe.
NOT_A_PAGE = re.compile(
    r"\.(csv|json|ico|svg|pdf)$|^/(static|api|stripe|resumes)/|/download$|^/healthz$"
    r"|^/auth/verify|^/me/payments/(onboard|refresh|return)"
)

# role: (demo account, viewport); the contractor walks on a phone-sized screen.
ROLES = {
    "applicant": ("lukas@demo.example", {"width": 1280, "height": 800}),
    "contractor": ("chloe@demo.example", {"width": 375, "height": 740}),
    "recruiter": ("recruiter@demo.example", {"width": 1280, "height": 800}),
    "admin": ("admin@demo.example", {"width": 1280, "height": 800}),
}


@pytest.fixture
def demo(app):
    for _ in seed_demo():
        pass


def shape(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def sign_in(page, email: str) -> None:
    page.goto("/auth/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/auth/signin" not in url)


def walk(page, base: str, start: str, found: dict[str, list]) -> list[str]:
    """Breadth-first over same-site links from `start`; axe on each new page shape."""
    origin = urlsplit(base).netloc
    queue, shapes, visited = deque([start]), set(), []
    while queue and len(visited) < PAGES_PER_ROLE:
        url = queue.popleft()
        parts = urlsplit(url)
        if shape(parts.path) in shapes or NOT_A_PAGE.search(parts.path):
            continue
        shapes.add(shape(parts.path))
        response = page.goto(url)
        assert response is not None and response.status < 500, f"{url}: {response.status}"
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        visited.append(url)
        found[f"{page.url}"] = serious(run_axe(page))
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            link = urlsplit(href)
            if link.scheme.startswith("http") and link.netloc == origin:
                queue.append(link.path + (f"?{link.query}" if link.query else ""))
    return visited


def take_assessment(page, found: dict[str, list]) -> list[str]:
    """The attempt: an item of each kind, an item sent back with an error, the submit page."""
    page.goto("/assessment/")
    page.get_by_role("button", name=re.compile("Start the assessment")).click()
    page.wait_for_url("**/assessment/attempt/0")
    visited, kinds = [], set()
    position = 0
    while len(kinds) < 2:
        page.goto(f"/assessment/attempt/{position}")
        kind = page.locator("#attempt").get_attribute("data-kind")
        if kind not in kinds:
            kinds.add(kind)
            visited.append(page.url)
            found[f"{page.url} ({kind})"] = serious(run_axe(page))
        position += 1
    page.get_by_label("Flag this item as broken").check()
    page.get_by_label("Why?").fill(" ")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.get_by_label("Why?")).to_have_attribute("aria-invalid", "true")
    found[f"{page.url} (error)"] = serious(run_axe(page))
    page.goto("/assessment/attempt/submit")
    found[page.url] = serious(run_axe(page))
    return [*visited, page.url]


def test_no_serious_axe_violations_on_any_role_walk(browser, live_server_url, demo):
    found: dict[str, list] = {}
    walked: dict[str, list[str]] = {}
    context = browser.new_context(base_url=live_server_url)
    page = context.new_page()
    walked["anonymous"] = walk(page, live_server_url, "/", found)
    # A form sent back with errors: the summary, aria-invalid and aria-describedby.
    page.goto("/auth/signup")
    page.get_by_role("button", name=re.compile("Create|Sign up|Apply", re.I)).click()
    expect(page.locator(".error-summary")).to_be_focused()
    found["/auth/signup (errors)"] = serious(run_axe(page))
    context.close()

    for role, (email, viewport) in ROLES.items():
        context = browser.new_context(base_url=live_server_url, viewport=viewport)
        page = context.new_page()
        sign_in(page, email)
        walked[role] = walk(page, live_server_url, page.url, found)
        if role == "applicant":
            walked[role] += take_assessment(page, found)
        context.close()

    for role, pages in walked.items():
        print(f"{role}: {len(pages)} pages")
    assert all(len(pages) >= 3 for pages in walked.values()), walked
    problems = [describe(url, v) for url, v in found.items() if v]
    assert not problems, "\n".join(problems)
