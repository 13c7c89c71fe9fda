"""Synthetic seed folders in the four layout families, with planted near-duplicates.

    python -m benchmarks.generate OUT_DIR N [--seed S]

Writes N seed files and prints, as JSON, the counts a correct build must reproduce: articles,
comments, metadata rows, duplicates. Documents are invented from a small vocabulary with a
seeded RNG, so the same arguments give the same corpus. About 6 KB a document on average.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

WORDS = [
    "harbour",
    "council",
    "minister",
    "port",
    "strike",
    "vote",
    "bill",
    "senate",
    "report",
    "budget",
    "official",
    "plan",
    "city",
    "coast",
    "ship",
    "storm",
    "river",
    "market",
    "trade",
    "talks",
    "summit",
    "border",
    "army",
    "rebel",
    "leader",
    "region",
    "press",
    "agency",
    "defence",
    "foreign",
    "policy",
    "economy",
    "deal",
    "energy",
    "oil",
    "court",
    "judge",
    "law",
    "reform",
    "union",
    "worker",
    "the",
    "a",
    "of",
    "to",
    "in",
    "and",
    "for",
    "on",
    "with",
    "as",
    "by",
    "at",
    "from",
    "that",
    "was",
    "is",
    "were",
    "has",
    "had",
    "said",
    "will",
    "would",
    "could",
    "new",
    "old",
    "long",
    "short",
    "early",
    "late",
    "first",
    "last",
    "major",
    "minor",
    "public",
    "private",
    "local",
    "national",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass
class Planted:
    documents: int = 0
    articles: int = 0
    comments: int = 0
    duplicates: int = 0
    bytes: int = 0
    by_layout: dict[str, int] = field(default_factory=dict)


def _sentence(rng: random.Random, n: int | None = None) -> str:
    words = [rng.choice(WORDS) for _ in range(n or rng.randint(8, 24))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 8)))


def _title(rng: random.Random, i: int) -> str:
    return f"{_sentence(rng, rng.randint(4, 9))[:-1]} (story {i})"


def _clock(t: datetime) -> str:
    h = t.hour % 12 or 12
    return f"{h}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def _day(t: datetime) -> str:
    return f"{MONTHS[t.month - 1]} {t.day}, {t.year}"


def signed_blog(rng: random.Random, i: int) -> tuple[str, int, dict[str, object]]:
    title = _title(rng, i)
    posted = datetime(
        2011, rng.randint(1, 12), rng.randint(1, 28), rng.randint(8, 22), rng.randint(0, 59)
    )
    body = [_paragraph(rng) for _ in range(rng.randint(3, 8))]
    lines = [
        title,
        "",
        f"posted at {_clock(posted).lower()} on {_day(posted)} by Writer{rng.randint(1, 50)}",
        "",
    ]
    lines += [p for para in body for p in (para, "")]
    lines += ["Related Posts:", "", "Breaking on Synthetic Blog", "", "Trackback URL", "", ""]
    t = posted
    signed: list[tuple[str, datetime, str]] = []
    for _ in range(rng.randint(3, 30)):
        t += timedelta(minutes=rng.randint(0, 40))  # threads cross midnight now and then
        name = rng.choice(["owl", "reader", "Bob on the Hill", "x_y", "Mary.J", "fan"]) + str(
            rng.randint(1, 99)
        )
        text = _paragraph(rng)
        if signed and rng.random() < 0.15:  # a quotation of an earlier comment
            qn, qt, qtext = rng.choice(signed)
            if rng.random() < 0.5:
                lines += [qtext, f"{qn} on {_day(qt)} at {_clock(qt)}", ""]
            else:
                lines += [f"{qn} on {_day(qt)} at {_clock(qt)}", ""]
        lines += [text, "", f"{name} on {_day(t)} at {_clock(t)}", ""]
        signed.append((name, t, text))
    return "\n".join(lines), len(signed), {"title": title, "body": body}


def recrawl(rng: random.Random, original: dict[str, object]) -> str:
    """A later crawl: straight quotes, no byline, no comments, a trending widget."""
    body = original["body"]
    assert isinstance(body, list)
    lines = [str(original["title"]).replace("’", "'"), ""] + [
        p for para in body for p in (para, "")
    ]
    lines += [
        "Trending on Synthetic Video",
        f"Some One {rng.randint(1, 12)}:31 AM on December 04, 2022",
    ]
    return "\n".join(lines)


def dated_repost(rng: random.Random, i: int) -> tuple[str, int, dict[str, object]]:
    d = datetime(2011, rng.randint(1, 12), rng.randint(1, 28))
    title = _title(rng, i)
    body = [_paragraph(rng) for _ in range(rng.randint(3, 8))]
    lines = [f"{WEEKDAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year}", "", title, ""]
    lines += [f"[What follows is from an article by Ann Writer{i % 7} published today.]", ""]
    for k, para in enumerate(body):
        lines += [para, ""]
        if k == 1 and rng.random() < 0.3:  # a numbered list inside the body
            lines += ["  1. " + _sentence(rng), "", "  2. " + _sentence(rng), ""]
    n = rng.randint(0, 6)
    lines += [""] + [x for k in range(n) for x in (f"  {k + 1}. {_paragraph(rng)}", "")]
    return "\n".join(lines), n, {"title": title, "body": body}


def paged_news(rng: random.Random, i: int) -> tuple[str, int, dict[str, object]]:
    title = _title(rng, i)
    count = rng.randint(1, 3)
    lines = ["Skip to: Content", "Skip to: Site Navigation", "", title, "", _sentence(rng), ""]
    lines += [f"(Page {rng.randint(1, count)} of {count})", ""]
    for k in range(rng.randint(4, 10)):
        lines += [_paragraph(rng), ""]
        if k == 1:
            lines += ["Skip to next paragraph", ""]
        if k == 2:
            lines += ["RELATED: " + _sentence(rng), ""]
    lines += ["", "Read Comments", "", "View reader comments | Comment on this story"]
    return "\n".join(lines), 0, {"title": title}


def widget_news(rng: random.Random, i: int) -> tuple[str, int, dict[str, object]]:
    title = _title(rng, i)
    lines = [
        title,
        "",
        "  • Share",
        "  • Read Later",
        "Pat Lens / AP / Reuters",
        "",
        "A caption of a photo",
        "",
    ]
    lines += [p for _ in range(rng.randint(4, 12)) for p in (_paragraph(rng), "")]
    return "\n".join(lines), 0, {"title": title}


FAMILIES = (signed_blog, dated_repost, paged_news, widget_news)


def generate(out: Path, n: int, seed: int = 0, dup_rate: float = 0.1) -> Planted:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    planted = Planted()
    blogs: list[dict[str, object]] = []
    for i in range(n):
        if blogs and rng.random() < dup_rate:
            text = recrawl(rng, rng.choice(blogs))
            planted.duplicates += 1
            layout = "signed_blog"
        else:
            family = FAMILIES[i % len(FAMILIES)]
            text, n_comments, info = family(rng, i)
            planted.articles += 1
            planted.comments += n_comments
            layout = family.__name__
            if family is signed_blog:
                blogs.append(info)
        data = text.encode("utf-8")
        (out / f"{i:07d}.txt").write_bytes(data)
        planted.documents += 1
        planted.bytes += len(data)
        planted.by_layout[layout] = planted.by_layout.get(layout, 0) + 1
    return planted


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("n", type=int)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    planted = generate(args.out, args.n, args.seed)
    json.dump(planted.__dict__, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
