"""Evidence about gold and about people, as pure functions.

- :func:`panel_verdict`: a panel of trusted raters answers an item blind; their agreement with
  the gold sets the item's strength, and disagreement or a split sends it to review.
- :func:`cohen_kappa`: agreement between two reviewers grading the same rationales (0-2 rubric).
- :func:`near_duplicates`: rationales across applicants with shingled Jaccard similarity ≥ 0.8.
- :func:`collusion_pairs`: applicants who agree on more than 95 % of shared items and whose
  rationales are near-identical.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from assessments.items import Item, get_kind

MIN_PANEL = 3
AGREE, DISAGREE, SPLIT = "agrees", "disagrees", "split"


@dataclass(frozen=True)
class PanelVerdict:
    """What a panel's blind answers say about an item's gold."""

    n: int
    agreement: float  # share of panellists whose direction matches the gold
    strength: float  # the gold strength the evidence supports
    verdict: str  # agrees | disagrees | split
    needs_review: bool


def panel_verdict(item: Item, answers: Sequence[Mapping[str, Any]]) -> PanelVerdict:
    """Judge ``item``'s gold from canonical-order panel answers (flags count as disagreement,
    except on known-broken items where a flag is the gold).

    Strength is the panel's agreement with the gold; an item is live-worthy when at least
    ``MIN_PANEL`` answered and at least two thirds agree. A majority against the gold is
    ``disagrees``; anything between is ``split``; both go to the review queue.
    """
    kind = get_kind(item.kind)
    if not answers:
        return PanelVerdict(0, 0.0, 0.0, SPLIT, True)
    agree = 0
    for answer in answers:
        if item.known_broken:
            agree += bool(answer.get("flag"))
        elif answer.get(kind.answer_key) is not None and not answer.get("flag"):
            agree += kind.score(item, answer).agree
    n = len(answers)
    rate = agree / n
    if rate >= 2 / 3:
        verdict = AGREE
    elif rate < 0.5:
        verdict = DISAGREE
    else:
        verdict = SPLIT
    return PanelVerdict(
        n=n,
        agreement=round(rate, 4),
        strength=round(rate, 2),
        verdict=verdict,
        needs_review=verdict != AGREE or n < MIN_PANEL,
    )


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa for two raters' labels on the same items; None without items.

    ``(p_o - p_e) / (1 - p_e)``; 1.0 when both raters use one identical label throughout.
    """
    pairs = list(pairs)
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first.keys() | second.keys()) / (n * n)
    if expected >= 1.0:
        return 1.0
    return (observed - expected) / (1 - expected)


def shingles(text: str, k: int = 3) -> frozenset[tuple[str, ...]]:
    """Word k-shingles of normalised text (lower case, punctuation dropped)."""
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    if len(words) < k:
        return frozenset([tuple(words)]) if words else frozenset()
    return frozenset(tuple(words[i : i + k]) for i in range(len(words) - k + 1))


def jaccard(a: frozenset[Any], b: frozenset[Any]) -> float:
    """|a ∩ b| / |a ∪ b| (0 for two empty sets)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


NEAR_DUPLICATE = 0.8


def near_duplicates(
    texts: Mapping[Hashable, str], threshold: float = NEAR_DUPLICATE, min_words: int = 8
) -> list[tuple[Hashable, Hashable, float]]:
    """Pairs of keys whose texts have shingled Jaccard ≥ ``threshold`` (texts ≥ min_words)."""
    sh = {k: shingles(t) for k, t in texts.items() if len(t.split()) >= min_words}
    out = []
    for a, b in combinations(sorted(sh, key=str), 2):
        score = jaccard(sh[a], sh[b])
        if score >= threshold:
            out.append((a, b, round(score, 3)))
    return out


@dataclass(frozen=True)
class CollusionSignal:
    """Two applicants who answered alike and wrote alike."""

    first: Hashable
    second: Hashable
    shared_items: int
    agreement: float
    similar_rationales: int


def collusion_pairs(
    answers: Mapping[Hashable, Mapping[str, Any]],
    rationales: Mapping[Hashable, Mapping[str, str]],
    *,
    min_shared: int = 10,
    min_agreement: float = 0.95,
    threshold: float = NEAR_DUPLICATE,
) -> list[CollusionSignal]:
    """Applicant pairs agreeing on more than ``min_agreement`` of at least ``min_shared`` shared
    items (same canonical answer) with at least one near-identical rationale on a shared item.

    ``answers[applicant][content_hash]`` is a hashable canonical answer (e.g. the choice or a
    tuple of ranks); ``rationales[applicant][content_hash]`` the text written for it.
    """
    out = []
    for a, b in combinations(sorted(answers, key=str), 2):
        shared = answers[a].keys() & answers[b].keys()
        if len(shared) < min_shared:
            continue
        rate = sum(answers[a][h] == answers[b][h] for h in shared) / len(shared)
        if rate <= min_agreement:
            continue
        ra, rb = rationales.get(a, {}), rationales.get(b, {})
        similar = sum(
            1
            for h in shared
            if h in ra and h in rb and jaccard(shingles(ra[h]), shingles(rb[h])) >= threshold
        )
        if similar:
            out.append(CollusionSignal(a, b, len(shared), round(rate, 4), similar))
    return out
