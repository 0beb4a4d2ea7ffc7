"""Drawing an attempt's items from a pool by a :class:`Blueprint`."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assessments.domains import TRACKS
from assessments.items import Item, get_kind


@dataclass(frozen=True)
class Blueprint:
    """What one attempt contains. ``n_items`` counts every position, repeats included."""

    n_items: int = 30
    kinds: Mapping[str, float] = field(default_factory=lambda: {"pairwise": 0.8, "ranking": 0.2})
    tiers: Mapping[str, float] = field(
        default_factory=lambda: {"objective": 0.55, "consensus": 0.45}
    )
    n_attention: int = 2
    n_broken: int = 2
    n_repeats: int = 3
    domain_minimums: Mapping[str, int] = field(default_factory=dict)
    max_domain_share: float = 0.6
    min_repeat_gap: int = 5
    max_item_share: float = 0.25  # of the last ``exposure_window`` attempts
    exposure_window: int = 100
    track: str = "general"
    track_minimum: int = 8  # gold items of the track's domain (a per-domain score needs 6)
    language: str | None = None  # the languages track's language (ISO 639-1)


@dataclass(frozen=True)
class DrawnItem:
    """One position of an attempt: the item, its response permutation, and what it repeats.

    ``permutation[shown_position] = canonical_index``. ``repeat_of`` is the position of the
    first showing when this is a self-consistency repeat (same item, responses swapped).
    """

    position: int
    item: Item
    permutation: tuple[int, ...]
    repeat_of: int | None = None

    def view(self) -> dict[str, Any]:
        """The browser's data for this position (never gold, never the permutation)."""
        return {
            "position": self.position,
            **get_kind(self.item.kind).view(self.item, self.permutation),
        }


def _apportion(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Largest-remainder split of ``total`` by ``weights``."""
    norm = sum(weights.values()) or 1.0
    raw = {k: total * w / norm for k, w in weights.items()}
    counts = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[
        : total - sum(counts.values())
    ]:
        counts[k] += 1
    return counts


def _weighted_order(
    items: list[Item], exposure: Mapping[str, int], rng: random.Random
) -> list[Item]:
    """A random order where an item's chance to come early is weighted by 1/(1+exposure)
    (Efraimidis-Spirakis keys: u ** (1/w), largest first)."""
    keyed = [
        (rng.random() ** (1.0 + exposure.get(i.content_hash, 0)), n, i) for n, i in enumerate(items)
    ]
    return [i for _, _, i in sorted(keyed, key=lambda k: (-k[0], k[1]))]


def _rotate_templates(items: list[Item], n: int) -> list[Item]:
    """Up to ``n`` items from distinct templates where possible (template = source before '#')."""
    chosen: list[Item] = []
    used: set[str] = set()
    for item in items:
        template = item.source.split("#", 1)[0]
        if template not in used and len(chosen) < n:
            chosen.append(item)
            used.add(template)
    for item in items:
        if len(chosen) >= n:
            break
        if item not in chosen:
            chosen.append(item)
    return chosen


def _in_track(item: Item, domain: str, language: str | None) -> bool:
    if item.domain != domain:
        return False
    return language is None or domain != "languages" or item.language == language


def draw_items(
    pool: list[Item],
    blueprint: Blueprint,
    rng: random.Random,
    *,
    exposure: Mapping[str, int] | None = None,
    exclude: Collection[str] = (),
) -> list[DrawnItem]:
    """Draw an attempt: quotas of attention checks (distinct templates) and broken items, a
    kind x tier mix of gold items, domain minimums and a domain cap, shuffled order and responses,
    and self-consistency repeats placed later with responses swapped.

    Exposure control: ``exposure`` counts each item's showings in the last
    ``blueprint.exposure_window`` attempts; draws are weighted by 1/(1+exposure) and an item
    already at ``max_item_share`` of that window is not drawn. ``exclude`` holds the content
    hashes a retake must not see again. A short pool yields a shorter attempt, never a repeat.
    """
    bp = blueprint
    seen_counts = exposure or {}
    cap_count = max(1, int(bp.max_item_share * bp.exposure_window))
    unique = [
        i
        for i in {i.content_hash: i for i in pool}.values()
        if i.content_hash not in exclude and seen_counts.get(i.content_hash, 0) < cap_count
    ]
    ordered = _weighted_order(unique, seen_counts, rng)
    attention = [i for i in ordered if i.attention_check]
    broken = [i for i in ordered if i.known_broken]
    gold_pool = [i for i in ordered if i.is_gold]
    chosen_attention = _rotate_templates(attention, bp.n_attention)
    chosen_broken = broken[: bp.n_broken]
    n_pairwise_gold = sum(1 for i in gold_pool if i.kind == "pairwise")
    n_repeats = max(0, min(bp.n_repeats, n_pairwise_gold, bp.n_items // 4))
    n_gold = max(0, bp.n_items - len(chosen_attention) - len(chosen_broken) - n_repeats)

    cells = {
        (k, t): n
        for k, nk in _apportion(n_gold, bp.kinds).items()
        for t, n in _apportion(nk, bp.tiers).items()
    }
    cap = max(1, int(bp.max_domain_share * n_gold + 0.5))
    chosen: list[Item] = []
    taken: set[str] = set()
    domains: Counter[str] = Counter()

    def take(item: Item) -> None:
        chosen.append(item)
        taken.add(item.content_hash)
        domains[item.domain] += 1
        key = (item.kind, item.tier)
        if cells.get(key, 0) > 0:
            cells[key] -= 1

    minimums = dict(bp.domain_minimums)
    if bp.track and bp.track != "general":
        minimums[bp.track] = max(minimums.get(bp.track, 0), bp.track_minimum)
    for domain, minimum in minimums.items():
        in_track = [i for i in gold_pool if _in_track(i, domain, bp.language)]
        for item in in_track[:minimum]:
            if len(chosen) < n_gold and item.content_hash not in taken:
                take(item)
    for strict_cap in (True, False):
        for item in gold_pool:
            if len(chosen) >= n_gold:
                break
            if item.content_hash in taken or cells.get((item.kind, item.tier), 0) <= 0:
                continue
            if strict_cap and domains[item.domain] >= cap:
                continue
            take(item)
    for item in gold_pool:  # the pool lacked some cells: fill with whatever gold is left
        if len(chosen) >= n_gold:
            break
        if item.content_hash not in taken:
            take(item)

    firsts = chosen + chosen_attention + chosen_broken
    rng.shuffle(firsts)
    repeat_candidates = [i for i in chosen if i.kind == "pairwise"]
    to_repeat = rng.sample(repeat_candidates, min(n_repeats, len(repeat_candidates)))
    # Repeats go late: among the first showings in the first part of the attempt, they go after.
    order: list[tuple[Item, Item | None]] = [(i, None) for i in firsts]
    for item in to_repeat:
        first = next(n for n, (it, rep) in enumerate(order) if it is item and rep is None)
        earliest = first + 1 + bp.min_repeat_gap
        slot = rng.randint(min(earliest, len(order)), len(order))
        order.insert(slot, (item, item))

    drawn: list[DrawnItem] = []
    first_position: dict[str, int] = {}
    permutations: dict[str, tuple[int, ...]] = {}
    for position, (item, repeat) in enumerate(order):
        if repeat is None:
            perm = tuple(get_kind(item.kind).present(item, rng)["permutation"])
            permutations[item.content_hash] = perm
            first_position[item.content_hash] = position
            drawn.append(DrawnItem(position, item, perm))
        else:
            swapped = tuple(reversed(permutations[item.content_hash]))
            drawn.append(DrawnItem(position, item, swapped, first_position[item.content_hash]))
    return drawn


def track_blueprint(track: str = "general", language: str | None = None, **kw: Any) -> Blueprint:
    """The blueprint of a track (a key of ``domains.TRACKS``); the languages track takes one."""
    if track not in TRACKS:
        raise ValueError(f"unknown track {track!r} (known: {', '.join(TRACKS)})")
    if track == "languages" and not language:
        raise ValueError("the languages track needs a language (e.g. fr)")
    return Blueprint(track=track, language=language if track == "languages" else None, **kw)


def shown_hashes(drawn: Sequence[DrawnItem]) -> set[str]:
    """Content hashes an attempt showed (what a retake must not redraw)."""
    return {d.item.content_hash for d in drawn}
