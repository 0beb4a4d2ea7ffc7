"""Assessment item kinds: a registry of classes with one interface (like CTFd's challenge types).

An :class:`Item` is stored in canonical order: ``responses[0]`` is response A of the source data
and the gold refers to that order. Per attempt, :meth:`ItemKind.present` shuffles the responses and
returns a ``permutation`` where ``permutation[shown_position] = canonical_index``; answers arrive
in presented order and :meth:`ItemKind.to_canonical` maps them back before scoring.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any, ClassVar

TIERS = ("objective", "consensus")
LABELS = "ABCD"
SCALE_MIN, SCALE_MAX = -3, 3


class ItemValidationError(ValueError):
    """An item (or an answer to one) does not satisfy its kind's rules."""


def _canon_text(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()


def content_hash(prompt: str, responses: Sequence[str]) -> str:
    """sha256 of the canonical prompt and responses: an item's identity for idempotent imports."""
    payload = json.dumps(
        [_canon_text(prompt), [_canon_text(r) for r in responses]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Item:
    """One assessment item in canonical order; gold refers to ``responses`` as stored."""

    kind: str
    prompt: str
    responses: tuple[str, ...]
    gold: int | tuple[int, ...]
    domain: str = "general"
    difficulty: int = 2
    gold_strength: float = 1.0
    tier: str = "consensus"
    attention_check: bool = False
    known_broken: bool = False
    rationale_required: bool = False
    source: str = ""
    language: str = "en"
    version: int = 1  # bumped by the portal on every edit; not part of the identity

    @cached_property
    def content_hash(self) -> str:
        """Identity of the item (prompt + responses), independent of labels and metadata."""
        return content_hash(self.prompt, self.responses)

    @property
    def is_gold(self) -> bool:
        """True when agreement with ``gold`` is what this item measures."""
        return not (self.attention_check or self.known_broken)

    @property
    def item_kind(self) -> ItemKind:
        """The registered kind class handling this item."""
        return ITEM_KINDS[self.kind]()

    def to_record(self) -> dict[str, Any]:
        """The native JSONL record (see FORMAT.md)."""
        record = asdict(self)
        record.pop("content_hash", None)
        record["responses"] = list(self.responses)
        if isinstance(self.gold, tuple):
            record["gold"] = list(self.gold)
        record["content_hash"] = self.content_hash
        return record


@dataclass(frozen=True)
class ItemScore:
    """Agreement of one answer with gold: ``credit`` in [0, 1], ``agree`` is the strict verdict."""

    credit: float
    agree: bool
    detail: dict[str, Any] = field(default_factory=dict)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def dense_ranks(ranks: Sequence[int]) -> tuple[int, ...]:
    """Map ranks with ties, e.g. (1, 3, 3, 7), to dense ranks (1, 2, 2, 3)."""
    order = {value: i + 1 for i, value in enumerate(sorted(set(ranks)))}
    return tuple(order[r] for r in ranks)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


class ItemKind:
    """Base class of item kinds: validate, present, validate an answer, score it."""

    name: ClassVar[str] = ""
    min_responses: ClassVar[int] = 2
    max_responses: ClassVar[int] = 2
    answer_key: ClassVar[str] = ""

    def validate(self, item: Item) -> None:
        """Raise ItemValidationError unless ``item`` is well formed for this kind."""
        if item.kind != self.name:
            raise ItemValidationError(f"kind is {item.kind!r}, expected {self.name!r}")
        if not isinstance(item.prompt, str) or not item.prompt.strip():
            raise ItemValidationError("prompt must be a non-empty string")
        n = len(item.responses)
        if not self.min_responses <= n <= self.max_responses:
            want = (
                str(self.min_responses)
                if self.min_responses == self.max_responses
                else f"{self.min_responses}-{self.max_responses}"
            )
            raise ItemValidationError(f"{self.name} needs {want} responses, got {n}")
        for i, response in enumerate(item.responses):
            if not isinstance(response, str):
                raise ItemValidationError(
                    f"response {i + 1} must be a string, got {type(response).__name__}"
                )
        if not item.known_broken and any(not r.strip() for r in item.responses):
            raise ItemValidationError("empty response (mark the item known_broken if intended)")
        if item.tier not in TIERS:
            raise ItemValidationError(f"tier must be one of {TIERS}, got {item.tier!r}")
        if not _is_int(item.difficulty) or not 1 <= item.difficulty <= 3:
            raise ItemValidationError(f"difficulty must be 1, 2 or 3, got {item.difficulty!r}")
        strength = item.gold_strength
        if isinstance(strength, bool) or not isinstance(strength, int | float):
            raise ItemValidationError("gold_strength must be a number")
        if not 0.0 <= strength <= 1.0:
            raise ItemValidationError(f"gold_strength must be within 0..1, got {strength}")
        if not isinstance(item.domain, str) or not item.domain:
            raise ItemValidationError("domain must be a non-empty string")
        if not isinstance(item.language, str) or not re.fullmatch(r"[a-z]{2,3}", item.language):
            raise ItemValidationError(
                f"language must be an ISO 639 code such as 'en', got {item.language!r}"
            )
        if item.attention_check and item.known_broken:
            raise ItemValidationError("an item cannot be both an attention check and known broken")
        self.validate_gold(item)

    def validate_gold(self, item: Item) -> None:
        """Raise ItemValidationError unless ``item.gold`` is well formed."""
        raise NotImplementedError

    def present(self, item: Item, rng: random.Random) -> dict[str, Any]:
        """Shuffle responses: ``{"view": <browser data, never gold>, "permutation": [...]}``."""
        permutation = list(range(len(item.responses)))
        rng.shuffle(permutation)
        return {"view": self.view(item, permutation), "permutation": permutation}

    def view(self, item: Item, permutation: Sequence[int]) -> dict[str, Any]:
        """What the browser gets for a given permutation: prompt and labelled responses only."""
        return {
            "kind": self.name,
            "prompt": item.prompt,
            "responses": [
                {"label": LABELS[shown], "text": item.responses[canonical]}
                for shown, canonical in enumerate(permutation)
            ],
            "rationale_required": item.rationale_required,
            **self.view_extra(item),
        }

    def view_extra(self, item: Item) -> dict[str, Any]:
        """Kind-specific instructions for the answer widget."""
        return {}

    def validate_answer(self, item: Item, answer: Mapping[str, Any]) -> None:
        """Raise ItemValidationError unless ``answer`` is a well-formed answer to ``item``.

        An answer carries the kind's key (``choice`` / ``ranking``) and/or a ``flag`` with a
        ``reason``; ``rationale`` is optional text.
        """
        if not isinstance(answer, Mapping):
            raise ItemValidationError("answer must be an object")
        unknown = set(answer) - {self.answer_key, "rationale", "flag"}
        if unknown:
            raise ItemValidationError(f"unknown answer fields: {sorted(unknown)}")
        flag = answer.get("flag")
        if flag is not None:
            reason = flag.get("reason") if isinstance(flag, Mapping) else None
            if not isinstance(reason, str) or not reason.strip():
                raise ItemValidationError('flag must be {"reason": "<non-empty text>"}')
        rationale = answer.get("rationale")
        if rationale is not None and not isinstance(rationale, str):
            raise ItemValidationError("rationale must be text")
        if answer.get(self.answer_key) is None:
            if flag is None:
                raise ItemValidationError(f"answer needs {self.answer_key!r} or a flag")
            return
        self.validate_value(item, answer[self.answer_key])

    def validate_value(self, item: Item, value: Any) -> None:
        """Raise ItemValidationError unless ``value`` is a valid choice / ranking."""
        raise NotImplementedError

    def to_canonical(
        self, item: Item, answer: Mapping[str, Any], permutation: Sequence[int]
    ) -> dict[str, Any]:
        """Validate an answer given in presented order and map it back to canonical order."""
        self.validate_answer(item, answer)
        mapped = dict(answer)
        if answer.get(self.answer_key) is not None:
            mapped[self.answer_key] = self.map_value(answer[self.answer_key], permutation)
        return mapped

    def map_value(self, value: Any, permutation: Sequence[int]) -> Any:
        """Map a presented-order value to canonical order."""
        raise NotImplementedError

    def score(self, item: Item, answer: Mapping[str, Any]) -> ItemScore:
        """Score a canonical-order answer against gold (flags and rationales: see scoring)."""
        raise NotImplementedError


class Pairwise(ItemKind):
    """Two responses; gold and answers on a 7-point scale -3..+3 (negative = A better, 0 = tie)."""

    name = "pairwise"
    min_responses = max_responses = 2
    answer_key = "choice"

    def validate_gold(self, item: Item) -> None:
        """Gold is an integer in -3..3."""
        if not _is_int(item.gold) or not SCALE_MIN <= item.gold <= SCALE_MAX:
            raise ItemValidationError(f"pairwise gold must be an integer -3..3, got {item.gold!r}")

    def view_extra(self, item: Item) -> dict[str, Any]:
        """The scale: -3 (A much better) .. 0 (tie) .. +3 (B much better)."""
        return {"scale": {"min": SCALE_MIN, "max": SCALE_MAX, "negative": "A", "positive": "B"}}

    def validate_value(self, item: Item, value: Any) -> None:
        """A choice is an integer in -3..3."""
        if not _is_int(value) or not SCALE_MIN <= value <= SCALE_MAX:
            raise ItemValidationError(f"choice must be an integer -3..3, got {value!r}")

    def map_value(self, value: int, permutation: Sequence[int]) -> int:
        """Swapped presentation flips the sign."""
        return value if list(permutation) == [0, 1] else -value

    def score(self, item: Item, answer: Mapping[str, Any]) -> ItemScore:
        """Credit by direction and margin; ``agree`` is the direction (a tie is a direction)."""
        choice = answer.get("choice")
        if choice is None:
            return ItemScore(0.0, False, {"answered": False})
        gold = int(item.gold)
        return ItemScore(
            pairwise_credit(gold, choice),
            _sign(choice) == _sign(gold),
            {"margin_error": abs(choice - gold)},
        )


MARGIN_CREDIT = (1.0, 0.75, 0.5)  # right direction, margin off by 0, 1, 2 steps


def pairwise_credit(gold: int, choice: int) -> float:
    """Credit for a 7-point choice against a 7-point gold: direction first, then margin.

    Right side: 1.0 at gold's margin, 0.75 one step off, 0.5 two steps off (a wrong margin costs
    a quarter or half of the item). Gold tie: 1.0 for a tie, 0.5 for a slight preference, 0 for
    more. Gold preference answered with a tie: 0.25 if gold is slight (|gold| = 1), else 0.
    Wrong side: 0.
    """
    if gold == 0:
        return (1.0, 0.5, 0.0, 0.0)[abs(choice)]
    if choice == 0:
        return 0.25 if abs(gold) == 1 else 0.0
    if _sign(choice) != _sign(gold):
        return 0.0
    return MARGIN_CREDIT[min(abs(choice - gold), 2)]


class Ranking(ItemKind):
    """Three or four responses ranked best to worst; ranks with ties, e.g. [1, 2, 2, 3]."""

    name = "ranking"
    min_responses, max_responses = 3, 4
    answer_key = "ranking"

    def validate_gold(self, item: Item) -> None:
        """Gold is one positive integer rank per response, at least two distinct ranks."""
        gold = item.gold
        if not isinstance(gold, tuple | list) or len(gold) != len(item.responses):
            raise ItemValidationError("ranking gold must list one rank per response")
        if not all(_is_int(r) and r >= 1 for r in gold):
            raise ItemValidationError(f"ranks must be positive integers, got {list(gold)!r}")
        if len(set(gold)) < 2 and not item.known_broken:
            raise ItemValidationError("ranking gold ties every response")

    def view_extra(self, item: Item) -> dict[str, Any]:
        """Ranks are 1 = best; equal ranks are ties."""
        return {"ranks": {"best": 1, "worst": len(item.responses), "ties": True}}

    def validate_value(self, item: Item, value: Any) -> None:
        """One rank per response, positive integers."""
        if not isinstance(value, list | tuple) or len(value) != len(item.responses):
            raise ItemValidationError(f"ranking must list {len(item.responses)} ranks")
        if not all(_is_int(r) and 1 <= r <= len(item.responses) for r in value):
            raise ItemValidationError(
                f"ranks must be integers 1..{len(item.responses)}, got {list(value)!r}"
            )

    def map_value(self, value: Sequence[int], permutation: Sequence[int]) -> list[int]:
        """ranking[shown] belongs to response permutation[shown]."""
        canonical = [0] * len(value)
        for shown, original in enumerate(permutation):
            canonical[original] = value[shown]
        return list(dense_ranks(canonical))

    def score(self, item: Item, answer: Mapping[str, Any]) -> ItemScore:
        """Credit is Kendall's tau-b against gold, floored at 0 (chance scores about nothing);
        ``agree`` means tau-b of at least 0.6 (for four responses: one adjacent swap)."""
        ranking = answer.get("ranking")
        if ranking is None:
            return ItemScore(0.0, False, {"answered": False})
        gold = tuple(item.gold)  # type: ignore[arg-type]
        tau = kendall_tau_b(gold, ranking)
        return ItemScore(
            round(max(0.0, tau), 4),
            tau >= RANKING_AGREE_TAU,
            {"kendall_tau": round(tau, 4), "pair_accuracy": ranking_pair_accuracy(gold, ranking)},
        )


RANKING_AGREE_TAU = 0.6


def _pairs(n: int) -> list[tuple[int, int]]:
    return [(i, j) for i in range(n) for j in range(i + 1, n)]


def ranking_pair_accuracy(gold: Sequence[int], ranking: Sequence[int]) -> float:
    """Share of response pairs ordered as gold; a tie against a strict order counts half."""
    total = 0.0
    pairs = _pairs(len(gold))
    for i, j in pairs:
        g, a = _sign(gold[i] - gold[j]), _sign(ranking[i] - ranking[j])
        total += 1.0 if g == a else (0.5 if 0 in (g, a) else 0.0)
    return total / len(pairs)


def kendall_tau_b(x: Sequence[int], y: Sequence[int]) -> float:
    """Kendall's tau-b (tie-corrected); 0.0 when either side ties everything."""
    concordant = discordant = ties_x = ties_y = 0
    for i, j in _pairs(len(x)):
        dx, dy = _sign(x[i] - x[j]), _sign(y[i] - y[j])
        if dx == 0 and dy == 0:
            continue
        if dx == 0:
            ties_x += 1
        elif dy == 0:
            ties_y += 1
        elif dx == dy:
            concordant += 1
        else:
            discordant += 1
    denom = ((concordant + discordant + ties_x) * (concordant + discordant + ties_y)) ** 0.5
    return (concordant - discordant) / denom if denom else 0.0


ITEM_KINDS: dict[str, type[ItemKind]] = {"pairwise": Pairwise, "ranking": Ranking}


def get_kind(name: str) -> ItemKind:
    """The kind handler registered under ``name``."""
    try:
        return ITEM_KINDS[name]()
    except KeyError:
        raise ItemValidationError(
            f"unknown item kind {name!r} (known: {', '.join(sorted(ITEM_KINDS))})"
        ) from None


def validate_item(item: Item) -> None:
    """Validate ``item`` with its kind's rules."""
    get_kind(item.kind).validate(item)
