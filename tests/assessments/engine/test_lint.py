import json
from pathlib import Path

from assessments import BANK_ITEMS, domains
from assessments.importers import load_bank, load_located
from assessments.lint import lint

FIXTURE = Path(__file__).parent / "fixtures" / "flagged_lines.jsonl"


def test_lint_catches_the_lines_the_review_named():
    # old bank lines 74, 96 (<nooutput>), 99, 100 (differ only by punctuation), 127 (objective
    # ranking with no single best), in that order
    findings = lint(load_located(FIXTURE))
    assert [str(f) for f in findings] == [
        "line 1: empty-response: response B is empty ('<nooutput>')",
        "line 2: empty-response: response B is empty ('<nooutput>')",
        "line 3: identical-responses: responses A and B differ only in whitespace, case or "
        "punctuation",
        "line 4: identical-responses: responses A and B differ only in whitespace, case or "
        "punctuation",
        "line 5: gold-not-strict: objective gold [1, 1, 2, 2] has no single best",
    ]


def test_shipped_bank_is_clean_and_flag_worthy_items_are_known_broken():
    assert lint(load_located(BANK_ITEMS)) == []
    bank = {i.source: i for i in load_bank()}
    for source in ("pandalm#602", "pandalm#526", "pandalm#237", "pandalm#294"):
        (match,) = [i for s, i in bank.items() if s.endswith(":" + source)]
        assert match.known_broken and match.source.startswith("broken/")
    for doubtful in ("llmbar/natural#98", "pandalm#939", "pandalm#210"):
        assert doubtful not in bank


def test_decimal_points_are_not_punctuation():
    lines = [
        '{"kind": "pairwise", "prompt": "p", "responses": ["It is 1.2", "It is 12"], "gold": 1}'
    ]
    assert lint(load_located(lines)) == []


def test_bank_rules_domain_length_and_template():
    base = {"kind": "pairwise", "prompt": "p", "responses": ["a", "b"], "gold": 1}
    rows = [
        json.dumps({**base, "domain": "cooking"}),
        json.dumps({**base, "prompt": "word " * 400}),
        json.dumps({**base, "responses": ["{{response_1}}", "b"]}),
    ]
    rules = [f.rule for f in lint(load_located(rows))]
    assert rules == ["domain", "too-long", "template-leak"]


def test_one_vocabulary_for_profiles_items_and_projects():
    assert domains.normalise("Medicine & health") == "medicine"
    assert domains.normalise("software engineering") == "coding"
    assert domains.normalise("  LAW ") == "law"
    assert domains.normalise("cooking") is None
    assert set(domains.TRACKS) >= {
        "general",
        "coding",
        "mathematics",
        "medicine",
        "law",
        "finance",
        "writing",
        "languages",
        "harmlessness",
    }
    bank_domains = {i.domain for i in load_bank()}
    assert bank_domains <= set(domains.KEYS)


def test_every_profile_and_demo_domain_lands_on_the_vocabulary():
    from portal import domains as portal_domains
    from portal.applicants.forms import DOMAINS as PROFILE_DOMAINS
    from portal.demo.recruiting import DOMAINS as DEMO_DOMAINS

    assert portal_domains.normalise is domains.normalise
    for name in [*PROFILE_DOMAINS, *PROFILE_DOMAINS.values(), *DEMO_DOMAINS]:
        assert portal_domains.normalise(name) in portal_domains.KEYS, name


def test_language_is_an_iso_code():
    import pytest

    from assessments.items import Item, ItemValidationError, validate_item

    validate_item(Item(kind="pairwise", prompt="p", responses=("a", "b"), gold=1, language="fr"))
    with pytest.raises(ItemValidationError, match="language"):
        validate_item(
            Item(kind="pairwise", prompt="p", responses=("a", "b"), gold=1, language="French")
        )
