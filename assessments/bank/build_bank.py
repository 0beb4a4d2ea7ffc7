"""Build the shipped demo bank ``items.jsonl`` from the public data in /work/shared/data/preference.

Run: ``python -m assessments.bank.build_bank [DATA_DIR]``. Deterministic (fixed seed). It copies
the licences of the data it uses beside the bank, as the data's README asks.
"""

from __future__ import annotations

import itertools
import json
import random
import shutil
import sys
from collections import defaultdict
from pathlib import Path

from assessments.importers import dump_items, guess_domain, load_items, parse_pandalm
from assessments.items import Item, ItemValidationError, validate_item

HERE = Path(__file__).parent
DEFAULT_DATA = Path("/work/shared/data/preference")
SEED = 20240601
MAX_WORDS = 320  # keep items readable within a timed sitting


def _words(item: Item) -> int:
    return len(item.prompt.split()) + sum(len(r.split()) for r in item.responses)


def _short(items: list[Item]) -> list[Item]:
    return [i for i in items if _words(i) <= MAX_WORDS]


def _with(item: Item, **changes: object) -> Item:
    values = {**item.__dict__, **changes}
    return Item(**values)  # type: ignore[arg-type]


def llmbar_items(data: Path, rng: random.Random) -> list[Item]:
    """35 natural (difficulty 1) + 35 adversarial (difficulty 2-3), objective tier."""
    out: list[Item] = []
    natural = _short(load_items(data / "llmbar/natural.json", "llmbar"))
    out += [
        _with(i, difficulty=1, source=i.source.replace("llmbar", "llmbar/natural"))
        for i in rng.sample(natural, 35)
    ]
    for name, n, difficulty in (
        ("neighbor", 12, 2),
        ("gptinst", 9, 2),
        ("gptout", 7, 3),
        ("manual", 7, 3),
    ):
        pool = _short(load_items(data / f"llmbar/adversarial-{name}.json", "llmbar"))
        for item in rng.sample(pool, n):
            out.append(
                _with(
                    item,
                    difficulty=difficulty,
                    rationale_required=difficulty == 3,
                    source=item.source.replace("llmbar", f"llmbar/adversarial-{name}"),
                )
            )
    return out


def _pandalm_rows(data: Path) -> list[dict]:
    rows = json.loads((data / "pandalm-testset-v1.json").read_text())
    return [r for r in rows if isinstance(r["response1"], str) and isinstance(r["response2"], str)]


def pandalm_items(rows: list[dict], rng: random.Random) -> tuple[list[Item], list[Item]]:
    """30 unanimous (5 of them ties) and 15 two-of-three items, consensus tier."""
    good: list[Item] = []
    for n, row in enumerate(rows, start=1):
        try:
            good.append(parse_pandalm(row, f"record {n}"))
        except ItemValidationError:
            continue
    good = _short(good)
    unanimous_ties = [i for i in good if i.gold_strength == 1.0 and i.gold == 0]
    unanimous = [i for i in good if i.gold_strength == 1.0 and i.gold != 0]
    split = [i for i in good if i.gold_strength < 1.0]
    chosen = rng.sample(unanimous, 25) + rng.sample(unanimous_ties, 5)
    chosen = [_with(i, difficulty=2 if i.gold else 3) for i in chosen]
    split_items = [_with(i, difficulty=3, rationale_required=True) for i in rng.sample(split, 15)]
    return chosen, split_items


def pandalm_rankings(rows: list[dict], rng: random.Random, limit: int = 10) -> list[Item]:
    """Three responses to one prompt whose pairwise PandaLM labels are unanimous and acyclic."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["instruction"], row["input"] or "")].append(row)
    out: list[Item] = []
    for (instruction, extra), group in sorted(groups.items()):
        texts: dict[str, str] = {}
        beats: dict[frozenset[str], int] = {}  # winner index in sorted pair, or 0 for tie
        for row in group:
            votes = {row["annotator1"], row["annotator2"], row["annotator3"]}
            m1, m2 = row["cmp_key"].split("_")
            texts[m1], texts[m2] = row["response1"], row["response2"]
            if len(votes) == 1:
                beats[frozenset((m1, m2))] = {0: 0, 1: m1, 2: m2}[votes.pop()]  # type: ignore[assignment]
        for trio in itertools.combinations(sorted(texts), 3):
            pairs = [frozenset(p) for p in itertools.combinations(trio, 2)]
            if not all(p in beats for p in pairs):
                continue
            responses = [texts[m].strip() for m in trio]
            if any(not r for r in responses) or len(set(responses)) < 3:
                continue
            wins = {m: sum(1 for p in pairs if beats[p] == m) for m in trio}
            ties = {m: sum(1 for p in pairs if m in p and beats[p] == 0) for m in trio}
            if sum(ties.values()):
                continue
            if sorted(wins.values()) != [0, 1, 2]:
                continue  # a cycle or incomplete order
            ranks = tuple(3 - wins[m] for m in trio)
            prompt = f"{instruction.strip()}\n\n{extra.strip()}" if extra.strip() else instruction
            item = Item(
                kind="ranking",
                prompt=prompt,
                responses=tuple(responses),
                gold=ranks,
                gold_strength=1.0,
                tier="consensus",
                domain=guess_domain(prompt),
                difficulty=2,
                rationale_required=True,
                source=f"pandalm#{group[0]['idx']}:{'/'.join(trio)}",
            )
            if _words(item) <= MAX_WORDS:
                out.append(item)
            break
    return rng.sample(out, min(limit, len(out)))


HAND_RANKINGS: list[dict] = [
    {
        "domain": "mathematics",
        "tier": "objective",
        "difficulty": 1,
        "prompt": "What is 15% of 80? Show the working briefly.",
        "responses": [
            "15% of 80 is 0.15 × 80 = 12.",
            "15% of 80 = 80 / 15 ≈ 5.33.",
            "It is 12.",
            "15% of 80 is 0.15 × 80 = 1.2.",
        ],
        "gold": [1, 4, 2, 3],
    },
    {
        "domain": "coding",
        "tier": "objective",
        "difficulty": 2,
        "prompt": "Write a Python expression that reverses the string s.",
        "responses": ["s[::-1]", "''.join(reversed(s))", "s.reverse()", "sorted(s, reverse=True)"],
        "gold": [1, 1, 2, 2],
    },
    {
        "domain": "science",
        "tier": "objective",
        "difficulty": 1,
        "prompt": "At sea level, at what temperature does pure water boil?",
        "responses": [
            "100 °C (212 °F).",
            "About 100 degrees Celsius.",
            "90 °C.",
            "It depends on the pot you use; usually 80 °C.",
        ],
        "gold": [1, 2, 3, 4],
    },
    {
        "domain": "writing",
        "tier": "consensus",
        "difficulty": 2,
        "prompt": "Make this sentence more concise: 'Due to the fact that it was raining, "
        "we made the "
        "decision to stay inside.'",
        "responses": [
            "Because it was raining, we stayed inside.",
            "Since it rained, we decided to stay in.",
            "Due to the rain fact, inside staying was decided by us.",
            "It was raining so we made a decision, which was to stay inside.",
        ],
        "gold": [1, 2, 4, 3],
    },
    {
        "domain": "general",
        "tier": "consensus",
        "difficulty": 2,
        "prompt": "Give one practical tip for falling asleep faster.",
        "responses": [
            "Keep a consistent bedtime and avoid screens for 30 minutes before bed.",
            "Drink a large coffee right before bed.",
            "Try going to bed at the same time every night.",
        ],
        "gold": [1, 3, 2],
    },
    {
        "domain": "mathematics",
        "tier": "objective",
        "difficulty": 2,
        "prompt": "Is 91 a prime number? Answer and justify.",
        "responses": [
            "No: 91 = 7 × 13.",
            "Yes, 91 has no divisors other than 1 and itself.",
            "No, it is divisible by 7.",
        ],
        "gold": [1, 3, 2],
    },
    {
        "domain": "coding",
        "tier": "objective",
        "difficulty": 2,
        "prompt": "In SQL, how do you count the rows of the table orders?",
        "responses": [
            "SELECT COUNT(*) FROM orders;",
            "SELECT SUM(*) FROM orders;",
            "SELECT COUNT(id) FROM orders; (counts rows whose id is not NULL)",
            "COUNT orders;",
        ],
        "gold": [1, 3, 2, 3],
    },
    {
        "domain": "science",
        "tier": "consensus",
        "difficulty": 2,
        "prompt": "Explain in one or two sentences why the sky looks blue.",
        "responses": [
            "Air molecules scatter short (blue) wavelengths of sunlight much more than "
            "long ones (Rayleigh scattering), so blue light reaches us from all directions.",
            "Because it reflects the ocean.",
            "Sunlight is scattered by the atmosphere, and blue light is scattered most.",
        ],
        "gold": [1, 3, 2],
    },
]

ATTENTION_WORDS = [
    "PINEAPPLE",
    "LIGHTHOUSE",
    "MARIGOLD",
    "TELESCOPE",
    "HARBOUR",
    "VIOLIN",
    "GLACIER",
    "LANTERN",
]
ATTENTION_TASKS = [
    (
        "Name a fruit that is rich in vitamin C.",
        "Oranges are rich in vitamin C.",
        "Kiwi fruit is very rich in vitamin C.",
    ),
    ("Suggest a name for a seaside café.", "The Salty Gull.", "Harbour Lights Café."),
    ("What is the capital of Canada?", "Ottawa.", "The capital of Canada is Ottawa."),
    ("Give a synonym for 'happy'.", "Joyful.", "Cheerful."),
    ("Convert 2 km to metres.", "2,000 metres.", "2 km = 2000 m."),
    (
        "Write a one-line greeting for a birthday card.",
        "Happy birthday, have a wonderful year!",
        "Wishing you a very happy birthday!",
    ),
    ("Name a primary colour.", "Red.", "Blue is a primary colour."),
    (
        "What does HTML stand for?",
        "HyperText Markup Language.",
        "HTML stands for HyperText Markup Language.",
    ),
]


def attention_items() -> list[Item]:
    """Both responses are fine; the prompt tells the rater which one to mark as much better."""
    out = []
    for n, ((task, a, b), word) in enumerate(zip(ATTENTION_TASKS, ATTENTION_WORDS, strict=True)):
        target = n % 2  # alternate which canonical response carries the marker
        responses = [a, b]
        responses[target] = f"{responses[target]} ({word})"
        prompt = (
            f"{task}\n\nQuality check: whatever you think of the answers, mark the response "
            f"that contains the word {word} as MUCH better (the strongest preference)."
        )
        out.append(
            Item(
                kind="pairwise",
                prompt=prompt,
                responses=tuple(responses),
                gold=-3 if target == 0 else 3,
                gold_strength=1.0,
                tier="objective",
                domain="general",
                difficulty=1,
                attention_check=True,
                source=f"hand/attention#{n + 1}",
            )
        )
    return out


def broken_items(rows: list[dict], llmbar: list[Item], rng: random.Random) -> list[Item]:
    """Items whose correct handling is a flag: empty, truncated, garbled, mismatched, duplicated."""
    out: list[Item] = []

    def add(prompt: str, responses: tuple[str, ...], how: str) -> None:
        out.append(
            Item(
                kind="pairwise",
                prompt=prompt,
                responses=responses,
                gold=0,
                gold_strength=0.0,
                tier="consensus",
                domain=guess_domain(prompt),
                difficulty=1,
                known_broken=True,
                source=f"broken/{how}",
            )
        )

    empties = [r for r in rows if not r["response1"].strip() or not r["response2"].strip()]
    for row in rng.sample(empties, 2):
        prompt = f"{row['instruction']}\n\n{row['input']}".strip()
        add(prompt, (row["response1"], row["response2"]), f"empty:pandalm#{row['idx']}")
    a, b, c, d, e = rng.sample(llmbar, 5)
    add(
        a.prompt,
        (
            a.responses[0][: max(12, len(a.responses[0]) // 3)].rstrip() + " th",
            a.responses[1][: max(10, len(a.responses[1]) // 4)].rstrip(),
        ),
        "truncated",
    )
    add(b.prompt, (c.responses[0], d.responses[1]), "mismatched-prompt")
    add(e.prompt, (e.responses[0], e.responses[0] + " "), "identical-responses")
    add(
        "Explain what a hash table is.",
        (
            'Ã¢â‚¬Å"A hash tÃƒÂ¡ble mÃ¢â‚¬â„¢aps kÃƒÂ©ys Ã¢â‚¬Å to bÃƒÂ¼ckets Ã¢â‚¬',
            "ï¿½ï¿½ï¿½ ï¿½ï¿½ hash ï¿½ï¿½ï¿½ï¿½ table ï¿½ï¿½ï¿½ï¿½ï¿½",
        ),
        "garbled-encoding",
    )
    add(
        "Summarise the article below in two sentences.\n\n[article text missing]",
        (
            "The article argues that remote work improves productivity.",
            "The article is about a new bakery opening downtown.",
        ),
        "missing-context",
    )
    add(
        "Translate 'good morning' into French.",
        ("{{response_1}}", "<|endoftext|><|endoftext|><|endoftext|>"),
        "template-leak",
    )
    return out


def hand_rankings() -> list[Item]:
    """The hand-written ranking items above."""
    return [
        Item(
            kind="ranking",
            prompt=r["prompt"],
            responses=tuple(r["responses"]),
            gold=tuple(r["gold"]),
            gold_strength=1.0 if r["tier"] == "objective" else 0.8,
            tier=r["tier"],
            domain=r["domain"],
            difficulty=r["difficulty"],
            rationale_required=r["tier"] == "consensus",
            source=f"hand/ranking#{n + 1}",
        )
        for n, r in enumerate(HAND_RANKINGS)
    ]


def build(data: Path = DEFAULT_DATA) -> list[Item]:
    """The whole bank, validated, unique by content hash."""
    rng = random.Random(SEED)
    rows = _pandalm_rows(data)
    llmbar = llmbar_items(data, rng)
    unanimous, split = pandalm_items(rows, rng)
    items = (
        llmbar
        + unanimous
        + split
        + pandalm_rankings(rows, rng)
        + hand_rankings()
        + attention_items()
        + broken_items(rows, llmbar, rng)
    )
    seen: set[str] = set()
    bank = []
    for item in items:
        validate_item(item)
        if item.content_hash not in seen:
            seen.add(item.content_hash)
            bank.append(item)
    return bank


def main(argv: list[str]) -> None:
    """Write items.jsonl and copy the licences."""
    data = Path(argv[1]) if len(argv) > 1 else DEFAULT_DATA
    bank = build(data)
    (HERE / "items.jsonl").write_text(dump_items(bank), encoding="utf-8")
    licences = HERE / "licenses"
    licences.mkdir(exist_ok=True)
    shutil.copy(data / "llmbar/LICENSE", licences / "LLMBAR-LICENSE")
    shutil.copy(data / "PANDALM-LICENSE", licences / "PANDALM-LICENSE")
    print(f"wrote {len(bank)} items to {HERE / 'items.jsonl'}")


if __name__ == "__main__":
    main(sys.argv)
