"""seed-demo opens the three demo postings, idempotently, each a valid JobPosting page."""

import json

from sqlalchemy import select

from portal.demo.postings import seed_postings
from portal.extensions import db
from portal.models import Posting
from tests import factories
from tests.postings.helpers import make_posting
from tests.postings.test_posting_page import Head, check_job_posting


def test_the_demo_opens_three_postings_once(app, client):
    factories.make_user("admin", email="admin@demo.example")
    make_posting("open", slug="ai-response-rater", title="Made by the migration")
    make_posting("open", slug="medical-reviewer", title="Bare default", overview="")
    db.session.commit()
    list(seed_postings())
    list(seed_postings())
    postings = {p.slug: p for p in db.session.scalars(select(Posting))}
    assert set(postings) == {"ai-response-rater", "medical-reviewer", "spanish-language-rater"}
    assert all(p.status == "open" for p in postings.values())
    assert postings["ai-response-rater"].title == "Made by the migration"  # kept as it was
    medical, spanish = postings["medical-reviewer"], postings["spanish-language-rater"]
    assert medical.title == "Medical Reviewer for AI Health Answers"  # a bare one is filled in
    assert (medical.track, medical.domains) == ("medicine", ["medicine"])
    assert (spanish.track, spanish.languages) == ("languages", ["es"])
    assert client.get("/jobs?language=es").get_data(True).count('href="/jobs/') == 1
    for slug in postings:
        head = Head()
        head.feed(client.get(f"/jobs/{slug}").get_data(True))
        assert check_job_posting(json.loads(head.jsonld[0])) == [], slug
