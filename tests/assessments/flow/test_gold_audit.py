"""The gold audit: imported items are drafts, a panel answers blind, agreement sets strength."""

from sqlalchemy import select

from portal.assessment import panel
from portal.assessment.bank import import_items, item_pool
from portal.extensions import db
from portal.models import Item, PanelAnswer
from tests import factories

RECORDS = [
    '{"kind": "pairwise", "prompt": "Capital of France?", "responses": ["Paris", "Lyon"], '
    '"gold": -3, "tier": "objective", "gold_strength": 0.5}',
    '{"kind": "pairwise", "prompt": "2 + 2?", "responses": ["5", "4"], "gold": -2}',
]


def staff(n):
    users = [factories.make_user("recruiter") for _ in range(n)]
    db.session.commit()
    return users


def test_imported_items_wait_for_the_panel_then_go_live_or_to_review(client, auth, app, tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(RECORDS) + "\n")
    assert import_items(path, "native").added == 2
    good, wrong = db.session.scalars(select(Item).order_by(Item.id)).all()
    assert good.status == wrong.status == "draft"
    assert item_pool() == ([], {})  # drafts are never drawn

    admin = auth.as_role("admin")
    for item in (good, wrong):
        assert client.post(f"/admin/items/{item.id}/panel").status_code == 302
    db.session.expire_all()
    assert {good.status, wrong.status} == {"audit"}

    # the panel page shows the item but not its gold
    page = client.get("/panel/").get_data(as_text=True)
    assert "Capital of France?" in page and "0.50" not in page and "checked" not in page
    client.post(f"/panel/{good.id}", data={"choice": "-3"})
    client.post(f"/panel/{wrong.id}", data={"choice": "2"})  # 4 is right: the gold is wrong
    assert "Capital of France?" not in client.get("/panel/").get_data(as_text=True)

    first, second = staff(2)
    for rater, good_choice in ((first, -2), (second, 1)):
        panel.answer(rater, good, {"choice": good_choice})
        panel.answer(rater, wrong, {"choice": 3})
    db.session.expire_all()
    assert good.status == "live" and good.gold_strength == 0.67  # 2 of 3 agree with the gold
    assert wrong.status == "review" and wrong.needs_review
    pool, ids = item_pool()
    assert [i.prompt for i in pool] == ["Capital of France?"]
    evidence = client.get(f"/admin/items/{good.id}").get_data(as_text=True)
    assert "3 panel answer(s), 67% agree with the gold (agrees)" in evidence
    assert admin.id in db.session.scalars(select(PanelAnswer.rater_id)).all()


def test_one_answer_per_rater_and_only_while_in_audit(app):
    (rater,) = staff(1)
    item = Item(kind="pairwise", prompt="p", responses=["a", "b"], gold=-1, content_hash="h" * 64)
    db.session.add(item)
    db.session.commit()
    try:
        panel.answer(rater, item, {"choice": -1})
    except panel.PanelError as exc:
        assert "not with the panel" in str(exc)
    else:
        raise AssertionError("a draft accepted a panel answer")
    panel.send_to_panel(item, rater)
    panel.answer(rater, item, {"choice": -1})
    for bad in ({"choice": -1}, {"choice": 9}):
        try:
            panel.answer(rater, item, bad)
        except panel.PanelError:
            pass
        else:
            raise AssertionError(f"{bad} accepted")
