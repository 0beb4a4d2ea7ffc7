"""Layout families of the family corpus: each turns a person (``content.person``) into a document
model that every producer (``producers.py``) can draw.

A document is a dict: ``top`` (full-width blocks above any columns), ``main``, ``side`` (None or
the blocks of a sidebar), ``side_pos`` ("left"/"right"), ``side_w`` (its share of the width),
``header``/``footer`` (lines of the page header and footer). A block is ``("line", line, align)``,
``("cells", [(share, [line, ...]), ...])`` (a row of cells side by side) or ``("break",)``. A line
is ``(text, label, style)``; style is a set of letters: ``N`` name, ``H`` heading, ``b`` bold,
``i`` italic, ``s`` small; the label says what the line is (the line classifier learns from it).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from content import SUMMARY, date_range, lang_line

Line = tuple[str, str, str]


def L(text: str, label: str = "other", style: str = "", align: str = "L") -> tuple:  # noqa: N802
    return ("line", (text, label, style), align)


def cells(*cols: tuple[float, list[Line]]) -> tuple:
    return ("cells", list(cols))


def doc(main: list, **kw: object) -> dict:
    out = {"top": [], "main": main, "side": None, "side_pos": "left", "side_w": 0.3}
    out.update({"header": [], "footer": []})
    out.update(kw)
    return out


def head(p: dict, key: str, upper: bool = False) -> tuple:
    text = p["heads"][key]
    return L(text.upper() if upper else text, "heading", "H")


def contact_items(p: dict) -> list[tuple[str, str]]:
    items = [(p["location"], "contact"), (p["phone_text"], "contact"), (p["email"], "contact")]
    items += [(u.removeprefix("https://"), "contact") for u in p["links"]]
    return items


def contact_line(p: dict, sep: str) -> tuple:
    return L(sep.join(t for t, _ in contact_items(p)), "contact")


def skills_inline(p: dict, rng: random.Random) -> list:
    sep = rng.choice([", ", " · ", " | ", "; "])
    return [L(sep.join(p["skills"]), "skill")]


def skills_lines(p: dict) -> list:
    return [L(s, "skill") for s in p["skills"]]


def lang_lines(p: dict, rng: random.Random) -> list:
    return [L(lang_line(rng, a, b), "language") for a, b in p["languages"]]


def bullets(j: dict, mark: str = "• ") -> list:
    return [L(mark + b, "bullet") for b in j["bullets"]]


def edu_one(p: dict, e: dict, rng: random.Random) -> tuple:
    form = rng.choice(["{d}, {s}, {y}", "{d} — {s} ({y})", "{d}, {s} | {y}"])
    return L(form.format(d=e["degree"], s=e["school"], y=e["year"]), "edu")


def edu_lines(e: dict) -> list:
    return [L(e["degree"], "degree", "b"), L(e["school"], "school"), L(str(e["year"]), "date")]


# --- the families ------------------------------------------------------------------------------


def classic(p: dict, rng: random.Random) -> dict:
    main = [L(p["name"], "name", "N"), contact_line(p, " | "), head(p, "exp", True)]
    for j in p["jobs"]:
        main += [L(f"{j['title']} | {j['company']}", "title_employer", "b")]
        main += [L(date_range(j, p), "date", "i"), *bullets(j)]
    main += [head(p, "edu", True)] + [edu_one(p, e, rng) for e in p["education"]]
    main += [head(p, "skills", True), *skills_inline(p, rng), head(p, "lang", True)]
    return doc(main + lang_lines(p, rng))


def modern(p: dict, rng: random.Random) -> dict:
    main = [L(p["name"], "name", "N"), L(p["jobs"][0]["title"], "other", "i")]
    main += [contact_line(p, " · "), head(p, "summary"), L(SUMMARY), head(p, "exp")]
    for j in p["jobs"]:
        when = [(date_range(j, p), "date", "")]
        main += [cells((0.7, [(j["title"], "title", "b")]), (0.3, when))]
        main += [L(f"{j['company']}, {j['city']}", "employer", "i"), *bullets(j, "– ")]
    main += [head(p, "edu")]
    for e in p["education"]:
        main += edu_lines(e)
    main += [head(p, "skills"), *skills_inline(p, rng), head(p, "lang"), *lang_lines(p, rng)]
    return doc(main)


def two_column(p: dict, rng: random.Random) -> dict:
    top = [L(p["name"], "name", "N"), contact_line(p, "  |  ")]
    left = [head(p, "exp")]
    for j in p["jobs"]:
        left += [L(j["title"], "title", "b"), L(j["company"], "employer", "i")]
        left += [L(date_range(j, p), "date", "s"), *bullets(j)]
    right = [head(p, "edu")]
    for e in p["education"]:
        right += edu_lines(e)
    right += [head(p, "skills"), *skills_lines(p), head(p, "lang"), *lang_lines(p, rng)]
    return doc(left, top=top, side=right, side_pos="right", side_w=0.42)


def _sidebar(p: dict, rng: random.Random, pos: str, company_first: bool) -> dict:
    side = [head(p, "contact")] + [L(t, lab) for t, lab in contact_items(p)]
    side += [head(p, "skills"), *skills_lines(p), head(p, "lang"), *lang_lines(p, rng)]
    main = [L(p["name"], "name", "N"), head(p, "exp")]
    for j in p["jobs"]:
        a, b = (j["company"], "employer"), (j["title"], "title")
        first, second = (a, b) if company_first else (b, a)
        main += [L(first[0], first[1], "b"), L(second[0], second[1], "i")]
        main += [L(date_range(j, p), "date", "s"), *bullets(j)]
    main += [head(p, "edu")]
    for e in p["education"]:
        main += edu_lines(e) if rng.random() < 0.5 else [edu_one(p, e, rng)]
    return doc(main, side=side, side_pos=pos, side_w=0.3)


def sidebar_left(p: dict, rng: random.Random) -> dict:
    return _sidebar(p, rng, "left", company_first=False)


def sidebar_right(p: dict, rng: random.Random) -> dict:
    return _sidebar(p, rng, "right", company_first=True)


def timeline(p: dict, rng: random.Random) -> dict:
    main = [L(p["name"], "name", "N"), contact_line(p, " · "), head(p, "exp")]
    for j in p["jobs"]:
        body = [(j["title"], "title", "b"), (j["company"], "employer", "")]
        body += [("• " + b, "bullet", "") for b in j["bullets"]]
        main += [cells((0.25, [(date_range(j, p), "date", "")]), (0.75, body))]
    main += [head(p, "edu")]
    for e in p["education"]:
        body = [(e["degree"], "degree", "b"), (e["school"], "school", "")]
        main += [cells((0.25, [(str(e["year"]), "date", "")]), (0.75, body))]
    main += [head(p, "skills"), *skills_inline(p, rng), head(p, "lang"), *lang_lines(p, rng)]
    return doc(main)


def tables(p: dict, rng: random.Random) -> dict:
    main = [L(p["name"], "name", "N"), contact_line(p, " | "), head(p, "exp")]
    for j in p["jobs"]:
        main += [
            cells(
                (0.3, [(date_range(j, p), "date", "")]),
                (0.35, [(j["title"], "title", "b")]),
                (0.35, [(j["company"], "employer", "")]),
            )
        ]
    main += [head(p, "edu")]
    for e in p["education"]:
        main += [
            cells(
                (0.15, [(str(e["year"]), "date", "")]),
                (0.45, [(e["degree"], "degree", "")]),
                (0.4, [(e["school"], "school", "")]),
            )
        ]
    main += [head(p, "skills"), *skills_inline(p, rng), head(p, "lang"), *lang_lines(p, rng)]
    return doc(main)


def europass(p: dict, rng: random.Random) -> dict:
    def row(label: str, lines: list[Line]) -> tuple:
        return cells((0.28, [(label, "other", "s")]), (0.72, lines))

    main = [L(p["name"], "name", "N"), head(p, "contact", True)]
    main += [row("Address", [(p["location"], "contact", "")])]
    main += [row("Telephone", [(p["phone_text"], "contact", "")])]
    main += [row("E-mail", [(p["email"], "contact", "")])]
    main += [row("Website", [(u.removeprefix("https://"), "contact", "") for u in p["links"]])]
    main += [head(p, "exp", True)]
    for j in p["jobs"]:
        body = [(j["title"], "title", "b"), (f"{j['company']}, {j['city']}", "employer", "")]
        main += [row(date_range(j, p), body)]
    main += [head(p, "edu", True)]
    for e in p["education"]:
        main += [row(str(e["year"]), [(e["degree"], "degree", "b"), (e["school"], "school", "")])]
    main += [head(p, "lang", True)] + lang_lines(p, rng)
    main += [head(p, "skills", True), *skills_inline(p, rng)]
    return doc(main)


def academic(p: dict, rng: random.Random) -> dict:
    main = [L(p["name"], "name", "N")] + [L(t, lab) for t, lab in contact_items(p)]
    main += [head(p, "edu")]
    for e in p["education"]:
        main += [L(f"{e['year']}  {e['degree']}, {e['school']}", "edu")]
    main += [head(p, "exp")]
    for j in p["jobs"]:
        main += [L(f"{date_range(j, p)}  {j['title']}", "date_title", "b")]
        main += [L(j["company"], "employer", "i"), *bullets(j)]
    main += [head(p, "pubs")]
    for k in range(rng.randint(14, 22)):
        main += [L(f"[{k + 1}] {p['name'].split()[-1]}, A. et al. ({2010 + k % 15}). "
                   f"On the measurement of careful work, part {k + 1}. Journal of Methods "
                   f"{k + 3}({k % 4 + 1}), {100 + 7 * k}–{110 + 7 * k}.", "other")]  # fmt: skip
    main += [("break",), head(p, "skills"), *skills_lines(p), head(p, "lang")]
    return doc(main + lang_lines(p, rng))


def compact(p: dict, rng: random.Random) -> dict:
    main = [L(p["name"], "name", "N"), contact_line(p, " • "), head(p, "exp")]
    form = rng.choice(["{t}, {c}, {city} ({d})", "{t} — {c} | {d}", "{d}: {t}, {c}"])
    for j in p["jobs"]:
        main += [L(form.format(t=j["title"], c=j["company"], city=j["city"], d=date_range(j, p)),
                   "job")]  # fmt: skip
    main += [head(p, "edu")] + [edu_one(p, e, rng) for e in p["education"]]
    main += [head(p, "skills"), *skills_inline(p, rng), head(p, "lang"), *lang_lines(p, rng)]
    return doc(main)


def header_footer(p: dict, rng: random.Random) -> dict:
    header = [(f"{p['name']} · {p['location']}", "name_contact", "b")]
    footer = [(" · ".join([p["phone_text"], p["email"], *p["links"]]), "contact", "s")]
    main = [head(p, "summary"), L(SUMMARY), head(p, "exp")]
    for j in p["jobs"]:
        main += [L(j["title"], "title", "b"), L(f"{j['company']} · {date_range(j, p)}", "job")]
        main += bullets(j)
    main += [head(p, "edu")] + [edu_one(p, e, rng) for e in p["education"]]
    main += [head(p, "skills"), *skills_inline(p, rng), head(p, "lang"), *lang_lines(p, rng)]
    return doc(main, header=header, footer=footer)


def non_english(p: dict, rng: random.Random) -> dict:
    main = [L(p["name"], "name", "N"), contact_line(p, " | "), head(p, "exp")]
    for j in p["jobs"]:
        what = [(f"{j['title']}, {j['company']}", "title_employer", "b")]
        main += [cells((0.3, [(date_range(j, p), "date", "")]), (0.7, what))]
        main += bullets(j, "- ")
    main += [head(p, "edu")]
    for e in p["education"]:
        main += [L(f"{e['degree']}", "degree", "b"), L(f"{e['school']}, {e['year']}", "school")]
    main += [head(p, "skills"), *skills_inline(p, rng), head(p, "lang"), *lang_lines(p, rng)]
    return doc(main)


# Held-out only: never used to train or tune (see gen_families.py).


def banner(p: dict, rng: random.Random) -> dict:
    contact = [(t, lab, "s") for t, lab in contact_items(p)]
    top = [cells((0.55, [(p["name"], "name", "N"), (p["jobs"][0]["title"], "other", "i")]),
                 (0.45, contact))]  # fmt: skip
    main = [head(p, "exp", True)]
    for j in p["jobs"]:
        main += [L(j["company"], "employer", "b"), L(f"{j['title']}, {date_range(j, p)}", "job")]
        main += bullets(j, "▪ ")
    main += [head(p, "edu", True)]
    for e in p["education"]:
        main += [L(e["school"], "school", "b"), L(f"{e['degree']}, {e['year']}", "edu")]
    main += [head(p, "skills", True), *skills_inline(p, rng), head(p, "lang", True)]
    return doc(main + lang_lines(p, rng), top=top)


def minimal(p: dict, rng: random.Random) -> dict:
    main = [L(p["name"], "name", "b"), contact_line(p, " / ")]
    main += [L(p["heads"]["exp"].upper() + ":", "heading", "b")]
    for j in p["jobs"]:
        main += [L(f"{j['company']} – {j['title']}", "job"), L(f"({date_range(j, p)})", "date")]
    main += [L(p["heads"]["edu"].upper() + ":", "heading", "b")]
    main += [edu_one(p, e, rng) for e in p["education"]]
    main += [L(p["heads"]["skills"].upper() + ":", "heading", "b"), *skills_inline(p, rng)]
    main += [L(p["heads"]["lang"].upper() + ":", "heading", "b"), *lang_lines(p, rng)]
    return doc(main)


FAMILIES: dict[str, Callable[[dict, random.Random], dict]] = {
    "classic": classic,
    "modern": modern,
    "two_column": two_column,
    "sidebar_left": sidebar_left,
    "sidebar_right": sidebar_right,
    "timeline": timeline,
    "tables": tables,
    "europass": europass,
    "academic": academic,
    "compact": compact,
    "header_footer": header_footer,
    "non_english": non_english,
}
HELDOUT_FAMILIES: dict[str, Callable[[dict, random.Random], dict]] = {
    "banner": banner,
    "minimal": minimal,
}
