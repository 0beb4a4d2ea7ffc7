"""The parse pre-fills what matching needs: domains, languages, labelling experience."""

import io
import re

import pytest

from portal.extensions import db
from portal.models import Resume
from portal.storage import get_storage

# The new user: a pharmacist who rated LLM responses and speaks four languages.
PHARMACIST = """Amara Nwosu
Lagos, Nigeria | amara.nwosu@example.com | +234 802 123 4567

EXPERIENCE
Clinical Pharmacist, Lagoon Hospital
Mar 2021 – Present
- Reviewed medication charts for 40 inpatients a day
AI Trainer, Outlier
Jan 2024 – Dec 2024
- Ranked and rated 12,000+ LLM responses (RLHF) on drug-safety questions

EDUCATION
Pharm.D., University of Lagos, 2020

SKILLS
Clinical Guidelines, Medication Review, Pharmacovigilance

LANGUAGES
English (native), Yoruba (native), French – B2, German: basic
"""


@pytest.fixture
def app_config():
    return {"RESUME_PARSE_SANDBOX": False}


def upload(client, text: str) -> None:
    response = client.post(
        "/me/resume",
        data={"resume": (io.BytesIO(text.encode()), "cv.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 302)


def value_of(page: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
    return match.group(1) if match else None


def selected(page: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    option = re.search(r'<option selected value="([^"]*)"', select.group(1))
    return option.group(1) if option else None


def ticked(page: str, name: str) -> set[str]:
    boxes = re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
    return {re.search(r'value="([^"]*)"', b).group(1) for b in boxes if " checked" in b}


def test_domains_languages_and_labelling_are_prefilled(client, auth):
    auth.as_role("applicant", applicant={"full_name": ""})
    upload(client, PHARMACIST)
    page = client.get("/me/profile").get_data(as_text=True)
    assert ticked(page, "domains") == {"medicine"}
    rows = [(value_of(page, f"languages-{i}-language"), selected(page, f"languages-{i}-level"))
            for i in range(4)]  # fmt: skip
    assert rows == [
        ("English", "native"),
        ("Yoruba", "native"),
        ("French", "conversational"),
        ("German", "basic"),
    ]
    assert selected(page, "labelling-0-kind") == "preference ranking"
    assert value_of(page, "labelling-0-platforms") == "Outlier"
    assert value_of(page, "labelling-0-months") == "12"


def test_saved_domains_and_languages_are_never_replaced(client, auth):
    auth.as_role(
        "applicant",
        applicant={"domains": ["law"], "languages": [{"language": "Igbo", "level": "native"}]},
    )
    upload(client, PHARMACIST)
    page = client.get("/me/profile").get_data(as_text=True)
    assert ticked(page, "domains") == {"law"}
    assert value_of(page, "languages-0-language") == "Igbo"
    assert value_of(page, "labelling-0-platforms") == "Outlier"  # was empty, so it is filled


def test_low_confidence_domains_and_guessed_labelling_kind_are_highlighted(client, auth):
    user = auth.as_role("applicant")
    db.session.add(
        Resume(
            applicant_id=user.applicant.id,
            sha256=get_storage().save(b"y"),
            size=1,
            kind="txt",
            filename="cv.txt",
            status="parsed",
            parsed={
                "domains": ["finance"],
                "labelling": {"months": 5, "platforms": []},
                "experience": [{"title": "Freelancer", "company": None}],
            },
            confidence={"domains": 0.5, "labelling": 0.9},
        )
    )
    db.session.commit()
    page = client.get("/me/profile").get_data(as_text=True)
    domains = page[: page.index('name="domains"')]
    assert domains.rindex("low-confidence") > domains.rindex('class="field')
    assert re.search(r'<fieldset class="rows low-confidence" data-rows="labelling">', page)
    assert selected(page, "labelling-0-kind") == "other"
    assert value_of(page, "labelling-0-months") == "5"


def test_status_prefill_ticks_domains_by_value(client, auth):
    auth.as_role("applicant", applicant={"full_name": ""})
    upload(client, PHARMACIST)
    values = client.get("/me/resume/status?prefill=1").get_json()["prefill"]["values"]
    assert values["domains"] == ["medicine"]
    assert values["languages-2-language"] == "French"
    assert values["labelling-0-months"] == "12"
