"""Importers: native JSONL, LLMBar, PandaLM and HH-RLHF records → validated :class:`Item` lists.

Every importer validates the whole input before returning anything: the first bad record raises
:class:`ItemImportError` naming its line (JSONL) or record (JSON array) number, so a caller can
add nothing on failure. ``.gz`` files are read transparently; JSON arrays and JSONL are both
accepted for the LLMBar and PandaLM formats.

Native JSONL (see ``assessments/FORMAT.md``): one object per line, blank lines ignored::

    {"kind": "pairwise", "prompt": "...", "responses": ["A text", "B text"], "gold": -2,
     "gold_strength": 1.0, "tier": "objective", "domain": "coding", "difficulty": 2,
     "attention_check": false, "known_broken": false, "rationale_required": false,
     "source": "llmbar/natural#3", "content_hash": "<optional; verified when present>"}

``kind``, ``prompt``, ``responses`` and ``gold`` are required; the rest default as in
:class:`~assessments.items.Item`. Pairwise gold is -3..+3 (negative = first response better,
0 = tie); ranking gold is one rank per response, 1 = best, ties allowed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

from assessments.items import Item, ItemValidationError, validate_item

FORMATS = ("native", "llmbar", "pandalm", "hh-rlhf")


class ItemImportError(ValueError):
    """A record could not be imported; the message names its line or record number."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


_DOMAIN_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    (
        "coding",
        (
            "python",
            "code",
            "function",
            "program",
            "sql",
            "javascript",
            "java ",
            "c++",
            "algorithm",
            "regex",
            "html",
            "css",
            "bash",
            "compile",
            "variable",
            "debug",
            "api",
        ),
    ),
    (
        "mathematics",
        (
            "calculate",
            "equation",
            "integer",
            "sum of",
            "probability",
            "solve",
            "math",
            "number",
            "formula",
            "sequence",
            "prime",
            "fraction",
            "percent",
            "geometry",
            "algebra",
            "derivative",
            "sudoku",
            "digits",
        ),
    ),
    (
        "science",
        (
            "physics",
            "chemistry",
            "biology",
            "molecule",
            "atom",
            "cell",
            "energy",
            "climate",
            "planet",
            "species",
            "scientific",
            "experiment",
            "dna",
            "protein",
            "gravity",
        ),
    ),
    (
        "writing",
        (
            "rewrite",
            "essay",
            "poem",
            "story",
            "paraphrase",
            "summarize",
            "summarise",
            "grammar",
            "sentence",
            "tone",
            "email",
            "letter",
            "headline",
            "slogan",
            "title",
            "translate",
            "paragraph",
            "edit",
        ),
    ),
]


def guess_domain(text: str) -> str:
    """A coarse domain from prompt keywords: coding, mathematics, science, writing or general."""
    lowered = text.lower()
    best, best_hits = "general", 0
    for domain, words in _DOMAIN_KEYWORDS:
        hits = sum(1 for w in words if re.search(r"\b" + re.escape(w.strip()), lowered))
        if hits > best_hits:
            best, best_hits = domain, hits
    return best


def _read_text(source: str | Path | Iterable[str]) -> str:
    if isinstance(source, str | Path):
        path = Path(source)
        with path.open("rb") as fh:
            raw = fh.read()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        return raw.decode("utf-8-sig")
    return "\n".join(line.rstrip("\n") for line in source)


def _records(text: str, allow_array: bool) -> Iterator[tuple[str, Any, str | None]]:
    """Yield ("line N" | "record N", parsed object, JSON error message or None)."""
    if allow_array and text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield f"line {exc.lineno}", None, f"malformed JSON: {exc.msg}"
            return
        for i, obj in enumerate(data, start=1):
            yield f"record {i}", obj, None
        return
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield f"line {n}", json.loads(line), None
        except json.JSONDecodeError as exc:
            yield f"line {n}", None, f"malformed JSON: {exc.msg}"


def _require(obj: dict[str, Any], *names: str) -> None:
    missing = [n for n in names if n not in obj or obj[n] is None]
    if missing:
        raise ItemValidationError(f"missing field(s): {', '.join(missing)}")


def _text(obj: dict[str, Any], name: str) -> str:
    value = obj[name]
    if not isinstance(value, str):
        raise ItemValidationError(f"{name} must be a string, got {type(value).__name__}")
    return value


def _join_prompt(instruction: str, extra: str) -> str:
    return f"{instruction.strip()}\n\n{extra.strip()}" if extra and extra.strip() else instruction


_ITEM_FIELDS = {f.name for f in fields(Item)}


def parse_native(obj: dict[str, Any], where: str) -> Item:
    """One native JSONL record → Item."""
    _require(obj, "kind", "prompt", "responses", "gold")
    unknown = set(obj) - _ITEM_FIELDS - {"content_hash"}
    if unknown:
        raise ItemValidationError(f"unknown field(s): {', '.join(sorted(unknown))}")
    responses = obj["responses"]
    if not isinstance(responses, list):
        raise ItemValidationError("responses must be a list of strings")
    values = {k: v for k, v in obj.items() if k in _ITEM_FIELDS}
    values["responses"] = tuple(responses)
    if isinstance(values["gold"], list):
        values["gold"] = tuple(values["gold"])
    values.setdefault("source", where)
    item = Item(**values)
    validate_item(item)
    claimed = obj.get("content_hash")
    if claimed is not None and claimed != item.content_hash:
        raise ItemValidationError("content_hash does not match the prompt and responses")
    return item


def parse_llmbar(obj: dict[str, Any], where: str, source: str = "llmbar") -> Item:
    """LLMBar ``{input, output_1, output_2, label}``: label 1|2 is objectively better (gold ±2)."""
    _require(obj, "input", "output_1", "output_2", "label")
    label = obj["label"]
    if label not in (1, 2) or isinstance(label, bool):
        raise ItemValidationError(f"label must be 1 or 2, got {label!r}")
    prompt = _text(obj, "input")
    item = Item(
        kind="pairwise",
        prompt=prompt,
        responses=(_text(obj, "output_1"), _text(obj, "output_2")),
        gold=-2 if label == 1 else 2,
        gold_strength=1.0,
        tier="objective",
        domain=guess_domain(prompt),
        source=f"{source}#{where.split()[-1]}",
    )
    validate_item(item)
    return item


def pandalm_gold(votes: list[int]) -> tuple[int, float]:
    """Majority of three PandaLM votes (0 tie, 1, 2) → (7-point gold, strength)."""
    counts = {v: votes.count(v) for v in set(votes)}
    label, n = max(counts.items(), key=lambda kv: kv[1])
    if n < 2:
        raise ItemValidationError(f"annotators disagree three ways: {votes}")
    strength = round(n / len(votes), 2)
    magnitude = 2 if n == len(votes) else 1
    return {0: 0, 1: -magnitude, 2: magnitude}[label], strength


def parse_pandalm(obj: dict[str, Any], where: str, source: str = "pandalm") -> Item:
    """PandaLM: instruction+input, response1/2, annotator1..3 (0 = tie); consensus tier."""
    _require(obj, "instruction", "response1", "response2", "annotator1", "annotator2", "annotator3")
    votes = [obj[f"annotator{i}"] for i in (1, 2, 3)]
    if any(v not in (0, 1, 2) or isinstance(v, bool) for v in votes):
        raise ItemValidationError(f"annotator votes must be 0, 1 or 2, got {votes}")
    gold, strength = pandalm_gold(votes)
    extra = obj.get("input") or ""
    if not isinstance(extra, str):
        raise ItemValidationError("input must be a string")
    prompt = _join_prompt(_text(obj, "instruction"), extra)
    ref = obj.get("idx", where.split()[-1])
    item = Item(
        kind="pairwise",
        prompt=prompt,
        responses=(_text(obj, "response1"), _text(obj, "response2")),
        gold=gold,
        gold_strength=strength,
        tier="consensus",
        domain=guess_domain(prompt),
        source=f"{source}#{ref}",
    )
    validate_item(item)
    return item


_ASSISTANT = "\n\nAssistant:"


def _split_transcript(text: str, name: str) -> tuple[str, str]:
    cut = text.rfind(_ASSISTANT)
    if cut < 0 or "\n\nHuman:" not in text[:cut] + "\n\n":
        raise ItemValidationError(f"{name} is not a '\\n\\nHuman: … \\n\\nAssistant: …' transcript")
    return text[:cut], text[cut + len(_ASSISTANT) :].strip()


def parse_hh_rlhf(obj: dict[str, Any], where: str, source: str = "hh-rlhf") -> Item:
    """HH-RLHF ``{chosen, rejected}``: shared prefix is the prompt, final turns the responses.

    The crowd label is noisy, so the item is consensus tier with low strength; which response is
    shown as A is decided by a hash of the content, so re-imports are stable.
    """
    _require(obj, "chosen", "rejected")
    prefix_c, chosen = _split_transcript(_text(obj, "chosen"), "chosen")
    prefix_r, rejected = _split_transcript(_text(obj, "rejected"), "rejected")
    if prefix_c.strip() != prefix_r.strip():
        raise ItemValidationError(
            "chosen and rejected do not share the conversation before the last turn"
        )
    if not chosen or not rejected:
        raise ItemValidationError("a final assistant turn is empty")
    prompt = prefix_c.strip()
    digest = hashlib.sha256(f"{prompt}\0{chosen}\0{rejected}".encode()).digest()
    swap = digest[0] & 1
    item = Item(
        kind="pairwise",
        prompt=prompt,
        responses=(rejected, chosen) if swap else (chosen, rejected),
        gold=1 if swap else -1,
        gold_strength=0.3,
        tier="consensus",
        domain="harmlessness",
        source=f"{source}#{where.split()[-1]}",
    )
    validate_item(item)
    return item


_PARSERS = {
    "native": parse_native,
    "llmbar": parse_llmbar,
    "pandalm": parse_pandalm,
    "hh-rlhf": parse_hh_rlhf,
}


def load_items(
    source: str | Path | Iterable[str],
    fmt: str = "native",
    *,
    errors: list[str] | None = None,
) -> list[Item]:
    """Parse and validate every record of ``source`` (a path, .gz or not, or an iterable of lines).

    Raises :class:`ItemImportError` on the first bad record (nothing is returned). Pass a list as
    ``errors`` to skip bad records instead, collecting their messages there.
    """
    return [item for _, item in load_located(source, fmt, errors=errors)]


def load_located(
    source: str | Path | Iterable[str],
    fmt: str = "native",
    *,
    errors: list[str] | None = None,
) -> list[tuple[str, Item]]:
    """Like :func:`load_items`, with each item's ``"line N"`` / ``"record N"`` beside it."""
    if fmt not in _PARSERS:
        raise ItemImportError("format", f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    parser = _PARSERS[fmt]
    items: list[tuple[str, Item]] = []
    for where, obj, problem in _records(
        _read_text(source), allow_array=fmt in ("llmbar", "pandalm")
    ):
        try:
            if problem is not None:
                raise ItemValidationError(problem)
            if not isinstance(obj, dict):
                raise ItemValidationError("record must be a JSON object")
            items.append((where, parser(obj, where)))
        except (ItemValidationError, TypeError) as exc:
            if errors is None:
                raise ItemImportError(where, str(exc)) from None
            errors.append(f"{where}: {exc}")
    return items


def new_items(items: Iterable[Item], existing_hashes: Iterable[str]) -> tuple[list[Item], int]:
    """Split an import into (items to add, number skipped) by content hash; duplicates skip too."""
    seen = set(existing_hashes)
    added: list[Item] = []
    skipped = 0
    for item in items:
        h = item.content_hash
        if h in seen:
            skipped += 1
            continue
        seen.add(h)
        added.append(item)
    return added, skipped


def dump_items(items: Iterable[Item]) -> str:
    """Native JSONL text for ``items`` (one record per line, trailing newline)."""
    return "".join(json.dumps(i.to_record(), ensure_ascii=False) + "\n" for i in items)


def load_bank() -> list[Item]:
    """The shipped demo bank (``assessments/bank/items.jsonl``)."""
    from assessments import BANK_ITEMS

    return load_items(BANK_ITEMS, "native")
