"""Keyboard only: answering items, Enter never going backwards, the menu on a phone, focus rings.

Key presses are counted the way a keyboard user spends them. Moving between the controls of one
answer (a rank for each response) and the letters of the rationale are the answer itself; every
other press (reaching the answer, the rationale, the Next button, and pressing it) is overhead,
and the issue's budget is 5 such presses from the page's load to the next item.
"""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from assessments import BANK_ITEMS
from portal.assessment.bank import import_items, publish_guideline
from portal.extensions import db
from portal.models import Attempt
from tests import factories

pytestmark = pytest.mark.browser

BUDGET = 5
RATIONALE = "B cites the source and answers the question; A guesses."


@pytest.fixture
def app_config():
    return {"ASSESSMENT_ITEMS": 30, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def applicant(app):
    import_items(BANK_ITEMS, "native", status="live")
    publish_guideline("Guidelines", "# Guidelines\n\nPrefer **correct** answers.", None, actor=None)
    user = factories.make_user(
        "applicant", email="kim@example.org", applicant={"stage": "profile_complete"}
    )
    db.session.commit()
    return user


class Keys:
    """page.keyboard, counting overhead presses apart from the presses that are the answer."""

    def __init__(self, page):
        self.page, self.overhead, self.answer = page, [], []

    def move(self, key: str) -> None:
        self.overhead.append(key)
        self.page.keyboard.press(key)

    def answer_key(self, key: str) -> None:
        self.answer.append(key)
        self.page.keyboard.press(key)

    def write(self, text: str) -> None:
        self.page.keyboard.type(text)


def sign_in_and_start(page) -> None:
    page.goto("/auth/signin")
    page.get_by_label("Email").fill("kim@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/assessment/")
    page.get_by_role("button", name=re.compile("Start the assessment")).click()
    page.wait_for_url("**/assessment/attempt/0")


def kinds(user) -> list[str]:
    db.session.expire_all()
    attempt = db.session.scalars(
        select(Attempt).where(Attempt.applicant_id == user.applicant.id).order_by(Attempt.id.desc())
    ).first()
    return [ai.item.kind for ai in sorted(attempt.items, key=lambda ai: ai.position)]


def position(page) -> int:
    return int(re.search(r"/attempt/(\d+)$", page.url).group(1))


def focused(page) -> str:
    """The focused element, as tag#id[name]=value or its text."""
    return page.evaluate(
        """() => { const e = document.activeElement;
            return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
              + (e.name ? '[' + e.name + ']' : '')
              + (e.value && e.tagName === 'BUTTON' ? '=' + e.value : ''); }"""
    )


def test_answer_a_pairwise_and_a_ranking_item_by_keyboard(page, applicant):
    sign_in_and_start(page)
    shown = kinds(applicant)
    last = len(shown) - 1
    pairwise = next(p for p, k in enumerate(shown) if k == "pairwise" and p < last)
    ranking = next(p for p, k in enumerate(shown) if k == "ranking" and p < last)

    # Pairwise: load, Tab to the scale, pick, Tab to the rationale, write, Tab to Next, Enter.
    page.goto(f"/assessment/attempt/{pairwise}")
    expect(page.locator("#item-heading")).to_be_focused()
    keys = Keys(page)
    keys.move("Tab")
    assert focused(page) == "input#answer[choice]"
    keys.answer_key("Space")
    keys.move("Tab")
    assert focused(page) == "textarea#rationale[rationale]"
    keys.write(RATIONALE)
    keys.move("Tab")
    assert focused(page) == "button[go]=next"
    keys.move("Enter")
    page.wait_for_url(f"**/assessment/attempt/{pairwise + 1}")
    assert len(keys.overhead) + len(keys.answer) <= BUDGET, (keys.overhead, keys.answer)
    # Focus is on the new item, so its answer is one Tab away again.
    expect(page.locator("#item-heading")).to_be_focused()
    expect(page.locator("#item-heading")).to_have_text(f"Item {pairwise + 2} of {last + 1}")

    # Ranking: load, Tab to the first rank, a rank per response, Tab out, write, Next.
    page.goto(f"/assessment/attempt/{ranking}")
    expect(page.locator("#item-heading")).to_be_focused()
    keys = Keys(page)
    keys.move("Tab")
    assert focused(page) == "select#answer[rank_0]"
    selects = page.locator('select[name^="rank_"]')
    n = selects.count()
    for i in range(n):
        keys.answer_key(str(n - i))  # worst first: the last response ranked best
        if i < n - 1:
            keys.answer_key("Tab")
    keys.move("Tab")
    assert focused(page) == "textarea#rationale[rationale]"
    keys.write(RATIONALE)
    keys.move("Tab")
    keys.move("Enter")
    page.wait_for_url(f"**/assessment/attempt/{ranking + 1}")
    assert len(keys.overhead) <= BUDGET, keys.overhead
    print(f"pairwise: {pairwise}, ranking ({n} responses): overhead {keys.overhead}")

    # Both answers (and rationales) were saved by the keyboard's Next.
    page.goto(f"/assessment/attempt/{pairwise}")
    expect(page.locator("#answer")).to_be_checked()
    expect(page.get_by_label(re.compile("^Rationale"))).to_have_value(RATIONALE)
    page.goto(f"/assessment/attempt/{ranking}")
    for i in range(n):
        expect(selects.nth(i)).to_have_value(str(n - i))
    expect(page.get_by_label(re.compile("^Rationale"))).to_have_value(RATIONALE)


def test_enter_never_moves_backwards(page, applicant):
    sign_in_and_start(page)
    shown = kinds(applicant)
    last = len(shown) - 1
    start = next(p for p, k in enumerate(shown) if k == "pairwise" and 0 < p < last - 2)

    # Enter on a radio: forward.
    page.goto(f"/assessment/attempt/{start}")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/assessment/attempt/{start + 1}")

    # Enter in the flag's "Why?" field: forward, with the flag saved.
    page.get_by_label("Flag this item as broken").check()
    page.get_by_label("Why?").focus()
    page.keyboard.type("Both responses are cut off.")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/assessment/attempt/{start + 2}")
    page.goto(f"/assessment/attempt/{start + 1}")
    expect(page.get_by_label("Why?")).to_have_value("Both responses are cut off.")

    # Enter in the rationale is a new line, not a submit.
    page.get_by_label(re.compile("^Rationale")).focus()
    page.keyboard.type("First line.")
    page.keyboard.press("Enter")
    page.keyboard.type("Second line.")
    expect(page.get_by_label(re.compile("^Rationale"))).to_have_value("First line.\nSecond line.")
    assert position(page) == start + 1

    # On the last item there is no Next: Enter saves and stays.
    page.goto(f"/assessment/attempt/{last}")
    page.get_by_label("Why?").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.wait_for_url(f"**/assessment/attempt/{last}")
    assert position(page) == last


def test_skip_link_reaches_the_answer(page, applicant):
    sign_in_and_start(page)
    page.goto("/assessment/attempt/0")
    first_stop = page.evaluate(
        "document.querySelector('a[href], button, input, select, textarea').textContent.trim()"
    )
    assert first_stop == "Skip to the answer"
    skip = page.get_by_role("link", name="Skip to the answer")
    skip.focus()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0, "the skip link shows when it has focus"
    page.keyboard.press("Enter")
    expect(page.locator("#answer")).to_be_focused()


NARROW = {"width": 375, "height": 740}


def test_menu_opens_from_the_keyboard_on_a_phone(browser, live_server_url, applicant):
    context = browser.new_context(base_url=live_server_url, viewport=NARROW)
    page = context.new_page()
    page.goto("/auth/signin")
    page.get_by_label("Email").fill("kim@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/me/")
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_hidden()

    page.reload()
    menu = page.get_by_role("button", name="Menu")
    presses = 0
    while (
        focused(page) != "button"
        or page.evaluate("document.activeElement.className") != "nav-toggle"
    ):
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 3, f"the menu button is not among the first Tab stops ({focused(page)})"
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_have_attribute("aria-controls", "site-nav")
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#site-nav")).to_be_visible()

    # Escape closes it and gives focus back to the button; Space opens it again.
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    page.keyboard.press("Space")
    expect(menu).to_have_attribute("aria-expanded", "true")

    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Sign out":
            break
    expect(sign_out).to_be_focused()
    expect(sign_out).to_be_visible()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/me/" not in url)
    expect(page.get_by_role("link", name="Sign in")).to_be_attached()
    context.close()


# Luminance contrast between the focus ring and what it is drawn on (WCAG 2.x formula).
RING = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b]
      .map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
      .reduce((acc, v, i) => acc + v * [0.2126, 0.7152, 0.0722][i], 0);
  let node = e.parentElement, bg = [255, 255, 255];
  while (node) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { bg = c.slice(0, 3); break; }
    node = node.parentElement;
  }
  const ring = rgb(s.outlineColor).slice(0, 3), a = lum(ring), b = lum(bg);
  const text = (e.textContent || e.name || '').trim().slice(0, 30);
  return {what: e.tagName + (e.id ? '#' + e.id : '') + ' ' + text,
          style: s.outlineStyle, width: parseFloat(s.outlineWidth),
          contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
}"""


def rings(page, presses: int) -> list[dict]:
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(RING))
    return seen


def test_focus_ring_is_visible_and_3_to_1_on_every_stop(page, applicant):
    sign_in_and_start(page)
    page.goto("/assessment/attempt/0")
    stops = rings(page, 60)  # the answer, buttons, flag, the 30 progress cells, guidelines, footer
    page.goto("/me/")
    stops += rings(page, 12)
    stops = [s for s in stops if not s["what"].startswith("BODY")]  # Tab past the page's end
    weak = [s for s in stops if s["style"] == "none" or s["width"] < 2 or s["contrast"] < 3]
    assert not weak, weak
    kinds_seen = {s["what"].split(" ")[0].split("#")[0] for s in stops}
    assert {"INPUT", "TEXTAREA", "BUTTON", "A"} <= kinds_seen, kinds_seen

    # The current progress cell looks different focused and not.
    page.goto("/assessment/attempt/0")
    cell = page.locator(".progress-map .cell.current")
    before = cell.evaluate(
        "e => getComputedStyle(e).outlineStyle + getComputedStyle(e).outlineWidth"
    )
    cell.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    after = cell.evaluate(
        "e => getComputedStyle(e).outlineStyle + getComputedStyle(e).outlineWidth"
    )
    assert before != after, (before, after)


def test_without_javascript_the_phone_menu_stays_open(browser, live_server_url, applicant):
    context = browser.new_context(
        base_url=live_server_url, viewport=NARROW, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/auth/signin")
    page.get_by_label("Email").fill("kim@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/me/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    context.close()
