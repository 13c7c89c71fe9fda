"""Figures for the documentation, computed from the tables as they are written, never typed by
hand.

The card, the datasheet and Croissant's Responsible-AI fields all take their numbers from
:func:`figures`, so they agree with the data and with each other.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .. import package
from ..project import Project, Release, fill


def _counts(column: pa.ChunkedArray) -> dict[str, int]:
    vc = pc.value_counts(column.drop_null())
    return dict(
        sorted(
            zip(
                map(str, vc.field("values").to_pylist()),
                vc.field("counts").to_pylist(),
                strict=True,
            )
        )
    )


def _bounds(values: list[Any]) -> tuple[str, str] | None:
    present = sorted(str(v) for v in values if v is not None)
    return (present[0], present[-1]) if present else None


def _range(values: list[Any]) -> str:
    b = _bounds(values)
    if b is None:
        return "(no date stated)"
    return f"on {b[0]}" if b[0] == b[1] else f"from {b[0]} to {b[1]}"


def _minmax(column: pa.ChunkedArray) -> list[Any]:
    mm = pc.min_max(column)
    return [mm["min"].as_py(), mm["max"].as_py()]


def _distribution(histogram: Counter[int]) -> dict[str, Any]:
    """min, quartiles (inclusive method), max and mean of values given as value -> count."""
    n = sum(histogram.values())
    if not n:
        return {"n": 0, "min": 0, "p25": 0, "median": 0, "p75": 0, "max": 0, "mean": 0}
    items = sorted(histogram.items())

    def at(k: int) -> int:  # the k-th smallest value, 0-based
        seen = 0
        for value, count in items:
            seen += count
            if k < seen:
                return value
        return items[-1][0]

    def quantile(q: float) -> float:  # as statistics.quantiles(method="inclusive")
        pos = (n - 1) * q
        lo = int(pos)
        return at(lo) + (at(min(lo + 1, n - 1)) - at(lo)) * (pos - lo)

    return {
        "n": n,
        "min": items[0][0],
        "p25": round(quantile(0.25), 1),
        "median": round(quantile(0.5), 1),
        "p75": round(quantile(0.75), 1),
        "max": items[-1][0],
        "mean": round(sum(v * c for v, c in items) / n, 1),
    }


def _merge_bounds(a: list[Any], b: list[Any]) -> list[Any]:
    lo = min((x for x in (a[0], b[0]) if x is not None), default=None)
    hi = max((x for x in (a[1], b[1]) if x is not None), default=None)
    return [lo, hi]


class TableFigures:
    """Figures of one table, accumulated piece by piece as the build writes it, in memory that
    grows only with distinct values (layouts, languages, commenters), never with rows."""

    def __init__(self) -> None:
        self.rows = 0
        self.counts: dict[str, Counter[str]] = {}
        self.bounds: dict[str, list[Any]] = {}
        self.nulls: Counter[str] = Counter()
        self.sums: Counter[str] = Counter()
        self.histograms: dict[str, Counter[int]] = {}
        self.distinct: set[str] = set()

    def count(self, name: str, column: pa.ChunkedArray | pa.Array) -> None:
        self.counts.setdefault(name, Counter()).update(_counts(column))

    def bound(self, name: str, column: pa.ChunkedArray | pa.Array) -> None:
        self.bounds[name] = _merge_bounds(self.bounds.get(name, [None, None]), _minmax(column))

    def histogram(self, name: str, values: pa.ChunkedArray | pa.Array) -> None:
        self.histograms.setdefault(name, Counter()).update(values.to_pylist())

    def add_articles(self, t: pa.Table) -> None:
        self.rows += t.num_rows
        self.bound("published_date", t.column("published_date"))
        self.nulls["published_date"] += t.column("published_date").null_count
        no_author = pc.equal(pc.list_value_length(t.column("authors")), 0)
        self.sums["without_author"] += pc.sum(no_author).as_py() or 0
        self.sums["partial"] += pc.sum(t.column("is_partial")).as_py() or 0
        self.count("layout", t.column("layout"))
        self.count("language", t.column("language"))

    def add_comments(self, t: pa.Table, words: pa.ChunkedArray | pa.Array) -> None:
        """``words``: each text's word count as str.split() sees it, computed where the text
        was still a Python string."""
        self.rows += t.num_rows
        self.histogram("chars", pc.utf8_length(t.column("text")))
        self.histogram("words", words)
        self.distinct.update(x for x in pc.unique(t.column("author_id")).to_pylist() if x)
        self.nulls["author"] += t.column("author").null_count
        self.sums["quoting"] += t.num_rows - t.column("reply_to_comment_id").null_count
        self.bound("posted_at", t.column("posted_at"))

    def add_metadata(self, t: pa.Table) -> None:
        self.rows += t.num_rows
        self.count("status", t.column("status"))
        self.count("layout", t.column("layout"))
        errors = t.column("error").drop_null().to_pylist()
        self.counts.setdefault("reason", Counter()).update(e.split(":")[0] for e in errors)


def _sorted(c: Counter[str] | None) -> dict[str, int]:
    return dict(sorted((c or Counter()).items()))


def figures(
    stats: dict[str, Any], arts: TableFigures, comments: TableFigures, meta: TableFigures
) -> dict[str, Any]:
    """Every figure the documents state, from the figures of the three tables as written."""
    dates = [d.isoformat() if d else None for d in arts.bounds.get("published_date", [None] * 2)]
    posted = [
        t.isoformat(sep=" ") if t else None for t in comments.bounds.get("posted_at", [None] * 2)
    ]
    statuses = _sorted(meta.counts.get("status"))
    return {
        "rows": {"articles": arts.rows, "comments": comments.rows, "metadata": meta.rows},
        "seeds": meta.rows,
        "seeds_by_status": statuses,
        "seeds_by_layout": _sorted(meta.counts.get("layout")),
        "rejected_by_reason": _sorted(meta.counts.get("reason")),
        "duplicates_merged": statuses.get("duplicate", 0),
        "boilerplate_by_rule": stats["boilerplate_lines_removed_by_rule"],
        "boilerplate_lines": sum(stats["boilerplate_lines_removed_by_rule"].values()),
        "published_range": _range(dates),
        "timeframe": _bounds(dates + [p[:10] if p else None for p in posted]),
        "articles_without_date": arts.nulls["published_date"],
        "articles_without_author": arts.sums["without_author"],
        "articles_partial": arts.sums["partial"],
        "articles_by_layout": _sorted(arts.counts.get("layout")),
        "languages": _sorted(arts.counts.get("language")),
        "comments_range": _range(posted),
        "comments_unsigned": comments.nulls["author"],
        "commenters": len(comments.distinct),
        "comments_quoting": comments.sums["quoting"],
        "comment_chars": _distribution(comments.histograms.get("chars", Counter())),
        "comment_words": _distribution(comments.histograms.get("words", Counter())),
        "pseudonymized": stats["pseudonymized"],
    }


def _md_counts(counter: dict[str, int], head: str) -> str:
    if not counter:
        return "(none)"
    return "\n".join(
        [f"| {head} | count |", "|---|---|", *(f"| `{k}` | {v} |" for k, v in counter.items())]
    )


def _md_distribution(d: dict[str, Any], unit: str) -> str:
    return (
        f"| {unit} | min | 25% | median | 75% | max | mean |\n|---|---|---|---|---|---|---|\n"
        f"| comment text ({d['n']} comments) | {d['min']} | {d['p25']} | {d['median']} "
        f"| {d['p75']} | "
        f"{d['max']} | {d['mean']} |"
    )


def privacy_mode(pseudonymized: bool) -> str:
    if pseudonymized:
        return (
            "This build is **pseudonymised** (`--pseudonymize`): every commenter's handle is "
            "replaced by its keyed pseudonym (`usr_…`) in `author`, in comment text and quoted "
            "text, and in removed lines."
        )
    return (
        "This build keeps commenters' handles **as they signed them** (`author`), beside a "
        "keyed pseudonym (`author_id`)."
    )


def contact_text(release: Release) -> str:
    """Where takedown requests and questions go: the configured contact, else the repo."""
    if release.contact:
        where = f"write to {release.contact}"
        if release.repo_url:
            where += f", or open a discussion at {release.repo_url}/discussions"
        return where[0].upper() + where[1:] + "."
    if release.repo_url:
        return f"Open a discussion at {release.repo_url}/discussions."
    return "Open an issue on the repository that builds the dataset."


def repository(release: Release) -> str:
    if not release.repo_url:
        return (
            "not published on the Hub from this build (a build with `--repo-id OWNER/NAME`, or "
            "`repo_id` in `[tool.corpuskit]`, names the repository here)."
        )
    return (
        f"<{release.repo_url}>; this release is its tag [`{release.tag}`]"
        f"({release.repo_url}/tree/{release.tag})."
    )


def loading(release: Release) -> str:
    """The card's examples: from the Hub, pinned to this release, when the repo is known;
    from a local checkout otherwise."""
    if release.repo_id:
        intro = (
            f'Every release is a tag of the repository; `revision="{release.tag}"` pins this '
            "one (leave it out for the latest)."
        )
        name, pin = release.repo_id, f', revision="{release.tag}"'
        data = f"hf://datasets/{release.repo_id}@{release.tag}/data"
    else:
        intro, name, pin, data = (
            "From a checkout of the builder, after `make dataset`:",
            "./dist",
            "",
            "dist/data",
        )
    return _LOADING.format(intro=intro, name=name, pin=pin, data=data)


_LOADING = '''{intro}

```python
from datasets import load_dataset

articles = load_dataset("{name}", split="train"{pin})  # the default config
comments = load_dataset("{name}", "comments", split="train"{pin})
```

```python
import pandas as pd

comments = pd.read_parquet("{data}/comments", dtype_backend="pyarrow")
```

```python
import duckdb

duckdb.sql("""
    select a.title, count(*) as comments
    from '{data}/comments/*.parquet' c
    join '{data}/articles/*.parquet' a using (article_id)
    group by a.title
""").show()
```'''


def versions(release: Release, project: Project) -> str:
    """The card's "Versions": every CHANGELOG.md entry up to this version, newest first."""
    changelog = project.changelog
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else ""
    entries = []
    for part in text.split("\n## [")[1:]:
        head, _, body = part.partition("\n")
        number, _, date = head.partition("] - ")
        if package.version_key(number) > package.version_key(release.version):
            continue
        body = body.strip().replace("\n### ", "\n#### ")
        entries.append(f"### {number} ({date.strip()})\n\n{body}")
    where = (
        f"Each version is the tag `v<version>` of <{release.repo_url}>; "
        "versions removed on request are no longer there."
        if release.repo_url
        else "Each version is tagged `v<version>` where it is published."
    )
    return "\n\n".join([where, *entries])


def context(fig: dict[str, Any], release: Release, project: Project) -> dict[str, str]:
    """Every placeholder the templates and the project's texts may use."""
    ctx: dict[str, str] = {
        "contact_text": contact_text(release),
        "repository": repository(release),
        "loading": loading(release),
        "versions": versions(release, project),
        "croissant_link": (
            f"[`croissant.json`]({release.file_url('croissant.json')}) in the repository"
            if release.repo_id
            else "`croissant.json` beside this card"
        ),
        "title": release.title,
        "name": release.name,
        "description": release.description,
        "citation_key": release.name.replace("-", "_"),
        "version": release.version,
        "release_date": release.release_date,
        "release_year": release.release_date[:4],
        "n_articles": str(fig["rows"]["articles"]),
        "n_comments": str(fig["rows"]["comments"]),
        "n_metadata": str(fig["rows"]["metadata"]),
        "n_seeds": str(fig["seeds"]),
        "n_duplicates": str(fig["duplicates_merged"]),
        "n_rejected": str(fig["seeds_by_status"].get("rejected", 0)),
        "n_boilerplate": str(fig["boilerplate_lines"]),
        "seeds_by_layout": _md_counts(fig["seeds_by_layout"], "layout"),
        "seeds_by_status": _md_counts(fig["seeds_by_status"], "status"),
        "rejected_by_reason": _md_counts(fig["rejected_by_reason"], "reason"),
        "articles_by_layout": _md_counts(fig["articles_by_layout"], "layout"),
        "boilerplate_by_rule": _md_counts(fig["boilerplate_by_rule"], "rule"),
        "published_range": fig["published_range"],
        "n_without_date": str(fig["articles_without_date"]),
        "n_without_author": str(fig["articles_without_author"]),
        "n_partial": str(fig["articles_partial"]),
        "languages": ", ".join(f"`{k}` ({v})" for k, v in fig["languages"].items()),
        "comments_range": fig["comments_range"],
        "n_unsigned": str(fig["comments_unsigned"]),
        "n_commenters": str(fig["commenters"]),
        "n_quoting": str(fig["comments_quoting"]),
        "comment_chars": _md_distribution(fig["comment_chars"], "characters"),
        "comment_words": _md_distribution(fig["comment_words"], "words"),
        "privacy_mode": privacy_mode(fig["pseudonymized"]),
        "privacy_mode_plain": privacy_mode(fig["pseudonymized"]).replace("**", ""),
        "languages_list": ", ".join(project.languages),
        "license_title": project.license.title,
    }
    texts = project.texts(ctx)
    ctx |= {f"text_{k}": v for k, v in texts.items()}
    # The name the project's templates have always used for the privacy reason.
    ctx["release_mode_reason"] = texts["privacy_reason"]
    return ctx


def render(template: str, ctx: dict[str, str], project: Project) -> str:
    text, where = project.template(template)
    return fill(text, ctx, where)


def rai(
    fig: dict[str, Any], release: Release, project: Project, ctx: dict[str, str]
) -> dict[str, Any]:
    """Croissant Responsible-AI fields: the project's texts (``ctx``, from :func:`context`, so
    the same words as the card and the datasheet), and what the tool itself did."""
    timeframe = list(fig["timeframe"] or [])
    return {
        "citeAs": (
            f"@misc{{{release.name.replace('-', '_')}, "
            f"title={{{release.title}}}, "
            f"note={{Version {release.version}}}, year={{{release.release_date[:4]}}}}}"
        ),
        "rai:dataCollection": ctx["text_collection"],
        "rai:dataCollectionType": project.collection_type,
        "rai:dataCollectionTimeframe": timeframe,
        "rai:dataPreprocessingProtocol": (
            "Seeds are decoded (UTF-8, UTF-8 with BOM, UTF-16, cp1252; CRLF/CR read as LF), their "
            "layout family is detected from content, and named, versioned rules mark every line "
            "(title, byline, body, comment, quotation, signature, boilerplate). "
            f"{fig['boilerplate_lines']} "
            f"boilerplate lines were removed, each listed with its rule in metadata.boilerplate; "
            f"{fig['duplicates_merged']} near-duplicate seed(s) were merged into their richer copy."
        ),
        "rai:personalSensitiveInformation": ctx["text_personal_information"],
        "rai:dataBiases": ctx["text_biases"],
        "rai:dataLimitations": ctx["text_limitations"],
        "rai:dataUseCases": ctx["text_uses"],
        "rai:dataSocialImpact": ctx["text_social_impact"],
        "rai:dataReleaseMaintenancePlan": ctx["text_maintenance"],
    }
