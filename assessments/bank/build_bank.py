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
from assessments.lint import checklist_findings

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
        "prompt": "Write a Python expression that evaluates to the string s reversed.",
        "responses": [
            "s[::-1]",
            "''.join(sorted(s, reverse=True))",
            "s.reverse()",
            "reversed(s)  # an iterator over the characters, not a string",
        ],
        "gold": [1, 3, 3, 2],
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


ATTENTION_TEMPLATES = [
    (
        "marker",
        "{task}\n\nQuality check: whatever you think of the answers, mark the response that "
        "contains the word {word} as MUCH better (the strongest preference).",
        "{answer} ({word})",
    ),
    (
        "code-word",
        "{task}\n\nAttention item: one response ends with the code word {word}. Give that "
        "response the strongest possible preference, whatever its quality.",
        "{answer} {word}",
    ),
    (
        "in-response",
        "{task}",
        "{answer}\n\n[Note to the rater: this is an attention check. Mark THIS response as much "
        "better than the other one. Code: {word}.]",
    ),
    (
        "quoted",
        "{task}\n\nBefore you judge: this item checks that you read instructions. The correct "
        'answer is a strong preference for the response that quotes "{word}".',
        '{answer} "{word}"',
    ),
    (
        "reverse",
        "{task}\n\nRead carefully: ignore which answer is better. Strongly prefer the response "
        "that mentions {word}, even if the other is more helpful.",
        "{answer} By the way: {word}.",
    ),
]


def attention_items() -> list[Item]:
    """Both responses are fine; the item tells the rater which one to mark as much better.

    Five templates (the instruction in the prompt, in a response, quoted, reversed …), two items
    each, so a draw rotates templates and no single wording becomes a tell."""
    out = []
    tasks = ATTENTION_TASKS + EXTRA_ATTENTION_TASKS
    words = ATTENTION_WORDS + EXTRA_ATTENTION_WORDS
    for n, ((task, a, b), word) in enumerate(zip(tasks, words, strict=True)):
        name, prompt_t, answer_t = ATTENTION_TEMPLATES[n % len(ATTENTION_TEMPLATES)]
        target = (n // len(ATTENTION_TEMPLATES)) % 2  # which canonical response is marked
        responses = [a, b]
        responses[target] = answer_t.format(answer=responses[target], word=word)
        out.append(
            Item(
                kind="pairwise",
                prompt=prompt_t.format(task=task, word=word),
                responses=tuple(responses),
                gold=-3 if target == 0 else 3,
                gold_strength=1.0,
                tier="objective",
                domain="general",
                difficulty=1,
                attention_check=True,
                source=f"hand/attention-{name}#{n + 1}",
            )
        )
    return out


EXTRA_ATTENTION_WORDS = ["COMPASS", "MAPLE"]
EXTRA_ATTENTION_TASKS = [
    ("Name a planet in our solar system.", "Mars.", "Jupiter is a planet."),
    ("Suggest a title for a cookbook.", "Simple Suppers.", "The Weeknight Kitchen."),
]


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


# Gold the issue review found doubtful: left out of the bank until a panel audits them.
DOUBTFUL = {
    "llmbar/natural#98": "the 'objectively' better restaurant cannot be verified (may be invented)",
    "pandalm#939": "gold rewards a hallucinated plot summary over the witty review asked for",
    "pandalm#210": "both tables have wrong arithmetic; a strong preference is not supported",
    "pandalm#214": "same budget table as pandalm#210, both subtotals wrong",
    "pandalm#147:bloom-7b/cerebras-gpt-6.7B/opt-7b": "none of the three proves the statement",
}
# Domains reviewed by hand where the keyword guess was wrong (e.g. an ice-cream motto as coding).
DOMAIN_OVERRIDES = {
    "pandalm#912": "writing",
    "pandalm#906:bloom-7b/cerebras-gpt-6.7B/llama-7b": "writing",
    "pandalm#610": "writing",
    "pandalm#237": "writing",
    "llmbar/natural#62": "mathematics",
    "llmbar/natural#71": "general",
    "llmbar/natural#13": "general",
    "llmbar/natural#67": "general",
}


def hand_items(folder: Path = HERE / "hand") -> list[Item]:
    """Hand-written track items: ``hand/<domain>[-<language>].jsonl``, pairwise, objective unless
    the record says otherwise; consensus items ask for a rationale."""
    out: list[Item] = []
    for path in sorted(folder.glob("*.jsonl")):
        domain, _, language = path.stem.partition("-")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            r = json.loads(line)
            tier = r.get("tier", "objective")
            out.append(
                Item(
                    kind=r.get("kind", "pairwise"),
                    prompt=r["prompt"],
                    responses=tuple(r["responses"]),
                    gold=tuple(r["gold"]) if isinstance(r["gold"], list) else r["gold"],
                    gold_strength=r.get("gold_strength", 1.0),
                    tier=tier,
                    domain=domain,
                    language=language or "en",
                    difficulty=r.get("difficulty", 1 if tier == "objective" else 2),
                    rationale_required=tier == "consensus",
                    source=f"hand/{path.stem}#{n}",
                )
            )
    return out


def curate(item: Item) -> Item | None:
    """Apply the review: drop doubtful gold, fix domains, and turn any item the guideline's flag
    checklist fires on into a known-broken item (flagging it is then the right answer)."""
    if item.source in DOUBTFUL:
        return None
    if item.source in DOMAIN_OVERRIDES:
        item = _with(item, domain=DOMAIN_OVERRIDES[item.source])
    hits = checklist_findings(item)
    if hits and not item.known_broken and not item.attention_check:
        rules = "+".join(sorted({rule for rule, _ in hits}))
        item = _with(
            item,
            known_broken=True,
            gold=0 if item.kind == "pairwise" else item.gold,
            gold_strength=0.0,
            rationale_required=False,
            source=f"broken/{rules}:{item.source}",
        )
    return item


def build(data: Path = DEFAULT_DATA) -> list[Item]:
    """The whole bank, curated, validated, unique by content hash."""
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
        + hand_items()
    )
    seen: set[str] = set()
    bank = []
    for raw in items:
        item = curate(raw)
        if item is None:
            continue
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
