"""Where each seed came from, and which files of the seeds folder are seeds.

**The manifest.** An optional ``metadata.csv`` or ``metadata.jsonl`` at the top of the seeds
folder, the convention of ``datasets``' folder builders (ImageFolder, AudioFolder): one row per
seed, its ``file_name`` relative to the seeds folder, and any of the columns in
:data:`COLUMNS`, each optional per row. :func:`load_manifest` validates all of it before any
seed is read (URLs parse, dates are ISO 8601, every ``file_name`` is a seed and is listed once,
no unknown column, not both files) and refuses a bad manifest with one line per problem naming
the file, row and column. A seed without a row has no provenance (nulls).

**Seed selection.** Only files whose name matches the seed patterns are seeds (``*.txt`` by
default; ``[tool.corpuskit] seed_glob`` or ``build --seed-glob``). Every other file (the
manifest, a README, a sidecar ``000_x.json``) is listed once as ignored and never becomes a row,
nor takes a seed's ``doc_id``.

**Use in extraction** (:func:`apply`, on the per-document path, from the seed's own row):

- ``relative_time_v1``: a comment time shown relative to the page's retrieval ("3 years ago",
  "vor 2 Tagen", "il y a 3 jours", "hace 2 días", "yesterday at 6:32 PM") becomes absolute when
  the seed's ``retrieved_at`` is known: the retrieval time minus the stated amount (calendar
  months and years; the day clamped to the month's end), at the clock the page attaches, else at
  midnight of that day for amounts of a day or more. Amounts under a day need a retrieval time
  with a clock. Vague amounts ("a few days ago") stay null. The time as shown stays in
  ``posted_text``.
- ``site_from_manifest_v1`` / ``site_from_url_host_v1``: an article whose text names no site
  takes the row's ``site``, else its ``url``'s host (without a leading ``www.``).
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import fnmatch
import io
import itertools
import json
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .decode import Rejected
from .errors import DataError, qname
from .layouts.dates import find_datetime
from .project import DEFAULT_SEED_GLOB
from .safety import read_seed

if TYPE_CHECKING:
    from .layouts import Extraction

MANIFESTS = ("metadata.csv", "metadata.jsonl")
MANIFEST_LIMIT = 1 << 30  # bytes
#: The metadata column each manifest column fills.
PREFIX = "source_"
#: Names shown per line of the ignored files, and kept in build_stats.json.
SHOWN_IGNORED = 10
KEPT_IGNORED = 1000


@dataclass(frozen=True, slots=True)
class Provenance:
    """One manifest row: where a seed came from. Every field optional."""

    url: str | None = None
    retrieved_at: str | None = None
    license: str | None = None
    license_url: str | None = None
    site: str | None = None
    language: str | None = None
    notes: str | None = None


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Provenance))
META_COLUMNS: tuple[str, ...] = tuple(PREFIX + c for c in COLUMNS)
NO_PROVENANCE = Provenance()


# -- which files are seeds ---------------------------------------------------------------------


class Selection:
    """Which files of the seeds folder are seeds, and each seed's manifest row. A pattern with
    a ``/`` matches the path under the seeds folder, any other the file's name, either regardless
    of case; the manifest at the top is never a seed. ``take`` records the files it turns
    down."""

    def __init__(self, globs: Sequence[str] = DEFAULT_SEED_GLOB, manifest: Manifest | None = None):
        self.globs = tuple(globs)
        self.lowered = tuple(g.lower() for g in globs)
        self.manifest = manifest or Manifest(None, {})
        self.ignored: list[str] = []  # the first KEPT_IGNORED
        self.n_ignored = 0

    def is_seed(self, rel: str) -> bool:
        if rel in MANIFESTS:
            return False
        path = rel.lower()  # case-blind: a page saved as X.TXT is a seed too
        name = path.rpartition("/")[2]
        return any(fnmatch.fnmatchcase(path if "/" in g else name, g) for g in self.lowered)

    def take(self, rel: str) -> bool:
        if self.is_seed(rel):
            return True
        self.n_ignored += 1
        if len(self.ignored) < KEPT_IGNORED:
            self.ignored.append(rel)
        return False

    def row(self, rel: str) -> Provenance | None:
        return self.manifest.rows.get(rel)

    def fresh(self) -> Selection:
        """The same selection, with nothing recorded yet (for a second walk of the folder)."""
        return Selection(self.globs, self.manifest)

    def ignored_line(self, seeds_dir: Path) -> str | None:
        """The one line a build prints about the files it did not read, if any."""
        if not self.n_ignored:
            return None
        shown = ", ".join(qname(n) for n in self.ignored[:SHOWN_IGNORED])
        more = self.n_ignored - min(len(self.ignored), SHOWN_IGNORED)
        return (
            f"{qname(seeds_dir)}: ignored {self.n_ignored} file(s) that are not seeds (seed_glob "
            f"{' '.join(self.globs)}): {shown}{f' and {more} more' if more else ''}"
        )

    def stats(self) -> dict[str, Any]:
        """What build_stats.json records of the selection and the manifest."""
        return {
            "seed_glob": list(self.globs),
            "files_ignored": self.n_ignored,
            "files_ignored_names": self.ignored,
            "provenance_manifest": self.manifest.name,
            "seeds_with_provenance": len(self.manifest.rows),
        }


# -- the manifest ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Manifest:
    name: str | None  # the file's name in the seeds folder; None when there is none
    rows: dict[str, Provenance]  # file_name -> its row


def load_manifest(seeds_dir: Path, globs: Sequence[str] = DEFAULT_SEED_GLOB) -> Selection:
    """The seed selection with the folder's manifest, validated; DataError naming the file, row
    and column of every problem (at most :data:`_MAX_PROBLEMS`)."""
    found = [n for n in MANIFESTS if os.path.lexists(seeds_dir / n)]
    if len(found) > 1:
        raise DataError(
            [
                f"{qname(seeds_dir / found[0])} and {qname(seeds_dir / found[1])}: two manifests; "
                "keep one (metadata.csv or metadata.jsonl)"
            ]
        )
    selection = Selection(globs)
    if not found:
        return selection
    path = seeds_dir / found[0]
    problems = _Problems(path)
    try:  # read as a seed is: a FIFO or a device never blocks, a huge file is refused
        data = read_seed(os.fspath(path), MANIFEST_LIMIT)
        text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except Rejected as exc:
        raise DataError([f"{qname(path)}: cannot read the manifest: {exc.detail}"]) from None
    except UnicodeDecodeError:
        raise DataError([f"{qname(path)}: not UTF-8 text"]) from None
    rows: dict[str, Provenance] = {}
    first_row: dict[str, int] = {}
    reader = _csv_rows if found[0].endswith(".csv") else _jsonl_rows
    for where, record in reader(text, problems):
        prov, name = _row(record, where, problems)
        if name is None:
            continue
        if name in first_row:
            problems.add(
                where,
                "file_name",
                f"{qname(name)} is listed again (first in row {first_row[name]})",
            )
            continue
        first_row[name] = where[0]
        why = _not_a_seed(seeds_dir, name, selection)
        if why:
            problems.add(where, "file_name", f"{qname(name)}: {why}")
            continue
        rows[name] = prov
    problems.raise_any()
    selection.manifest = Manifest(found[0], rows)
    return selection


_MAX_PROBLEMS = 20
_Where = tuple[int, int]  # (row, line): the row's number among the data rows, and its line


class _Problems:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: list[str] = []
        self.n = 0

    def add(self, where: _Where | None, column: str | None, why: str) -> None:
        self.n += 1
        if len(self.lines) >= _MAX_PROBLEMS:
            return
        at = "header (line 1)" if where is None else f"row {where[0]} (line {where[1]})"
        col = f", column {column}" if column else ""
        self.lines.append(f"{qname(self.path)}: {at}{col}: {why}")

    def raise_any(self) -> None:
        if not self.n:
            return
        more = [f"... and {self.n - len(self.lines)} more"] if self.n > len(self.lines) else []
        head = (
            f"{qname(self.path)}: the seeds' manifest has {self.n} problem(s); nothing was built:"
        )
        raise DataError([head, *self.lines, *more])


def _header(names: Sequence[Any], problems: _Problems) -> bool:
    """The columns are known, each once, and file_name is one; else False (reported)."""
    ok = True
    seen: set[str] = set()
    for n in names:
        if n in seen:
            problems.add(None, str(n), "appears twice")
            ok = False
        elif n != "file_name" and n not in COLUMNS:
            problems.add(None, str(n), f"unknown column (known: file_name, {', '.join(COLUMNS)})")
            ok = False
        seen.add(str(n))
    if "file_name" not in seen:
        problems.add(None, "file_name", "missing: every row names its seed in file_name")
        ok = False
    return ok


def _csv_rows(text: str, problems: _Problems) -> Iterator[tuple[_Where, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or not _header([h.strip() for h in header], problems):
            return
        header = [h.strip() for h in header]
        line, n = reader.line_num + 1, 0
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue  # a blank line
            n += 1
            where = (n, start)
            if len(cells) != len(header):
                problems.add(where, None, f"{len(cells)} cells, the header has {len(header)}")
                continue
            yield where, dict(zip(header, cells, strict=True))
    except csv.Error as exc:
        problems.add((reader.line_num, reader.line_num), None, f"not valid CSV: {exc}")


def _jsonl_rows(text: str, problems: _Problems) -> Iterator[tuple[_Where, dict[str, Any]]]:
    n = 0
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        n += 1
        where = (n, line_no)
        try:
            record = json.loads(line)
        except ValueError as exc:
            problems.add(where, None, f"not a JSON object: {exc}")
            continue
        if not isinstance(record, dict):
            problems.add(where, None, "not a JSON object")
            continue
        unknown = [k for k in record if k != "file_name" and k not in COLUMNS]
        for k in unknown:
            problems.add(where, k, f"unknown column (known: file_name, {', '.join(COLUMNS)})")
        if "file_name" not in record:
            problems.add(where, "file_name", "missing: every row names its seed in file_name")
        if unknown or "file_name" not in record:
            continue
        yield where, record


def _row(
    record: dict[str, Any], where: _Where, problems: _Problems
) -> tuple[Provenance, str | None]:
    """The row's values, each checked; the file_name None when the row cannot be used."""
    values: dict[str, str | None] = {}
    bad = False
    for column in ("file_name", *COLUMNS):
        raw = record.get(column)
        if raw is not None and not isinstance(raw, str):
            problems.add(where, column, f"must be text, not {json.dumps(raw)}")
            bad, values[column] = True, None
            continue
        value = raw.strip() if raw else None
        value = value or None
        why = _CHECKS[column](value) if value is not None else None
        if why:
            problems.add(where, column, f"{why}: {value!r}")
            bad = True
        elif value and _CHECKS[column] is _check_url:  # schemes are case-blind: http, not HTTP
            value = value[: value.index(":")].lower() + value[value.index(":") :]
        values[column] = value
    if values["license"] and not values["license_url"] and not _SPDX.fullmatch(values["license"]):
        problems.add(
            where,
            "license",
            f"not an SPDX identifier (such as CC-BY-4.0), so license_url must say where the "
            f"licence is: {values['license']!r}",
        )
        bad = True
    name = values.pop("file_name")
    if name is None:
        problems.add(where, "file_name", "empty: every row names its seed")
        return NO_PROVENANCE, None
    if values["retrieved_at"]:
        values["retrieved_at"] = values["retrieved_at"].replace(" ", "T", 1)
    return Provenance(**values), None if bad else name


def _not_a_seed(seeds_dir: Path, name: str, selection: Selection) -> str | None:
    """Why a manifest's file_name names no seed of the folder, or None."""
    parts = name.split("/")
    if name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return "not a path under the seeds folder as metadata.file_name writes it (a/b.txt)"
    path = os.fspath(seeds_dir)
    for i, p in enumerate(parts):
        path = f"{path}/{p}"
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return "no such file in the seeds folder"
        if i < len(parts) - 1 and not stat.S_ISDIR(mode):
            return "no such file in the seeds folder (a folder on its path is not a folder)"
    if stat.S_ISDIR(mode):
        return "a folder, not a seed file"
    if not selection.is_seed(name):
        return f"not a seed: its name does not match seed_glob {' '.join(selection.globs)}"
    return None


# -- the checks of each column -------------------------------------------------------------------


def _check_url(value: str) -> str | None:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return "not a URL"
    if parts.scheme not in ("http", "https") or not parts.hostname or re.search(r"\s", value):
        return "not an http or https URL with a host"
    return None


_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?"
)


def _check_date(value: str) -> str | None:
    if not _ISO.fullmatch(value):
        return "not an ISO 8601 date or date and time (2011-03-30, 2011-03-30T18:36:00Z)"
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return "not a date that exists"
    return None


#: An SPDX license identifier or expression (CC-BY-4.0, LicenseRef-x, MIT OR Apache-2.0).
_SPDX_ID = r"[A-Za-z0-9][A-Za-z0-9.+-]*"
_SPDX = re.compile(rf"\(?{_SPDX_ID}\)?(?:\s+(?:AND|OR|WITH)\s+\(?{_SPDX_ID}\)?)*")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def _check_license(value: str) -> str | None:
    return "too long for a licence name (at most 200 characters)" if len(value) > 200 else None


def _check_language(value: str) -> str | None:
    return None if _LANGUAGE.fullmatch(value) else "not a BCP-47 language tag (en, pt-BR)"


def _free(value: str) -> str | None:
    return None


_CHECKS = {
    "file_name": _free,
    "url": _check_url,
    "retrieved_at": _check_date,
    "license": _check_license,
    "license_url": _check_url,
    "site": _free,
    "language": _check_language,
    "notes": _free,
}


# -- use in extraction -------------------------------------------------------------------------


def apply(ex: Extraction, prov: Provenance | None) -> None:
    """What the seed's row adds to its extraction; each firing counted in ``ex.rules``."""
    if prov is None:
        return
    if ex.site is None:
        if prov.site:
            ex.site = prov.site
            ex.rules["site_from_manifest_v1"] += 1
        elif prov.url:
            host = (urlsplit(prov.url).hostname or "").removeprefix("www.")
            if host:
                ex.site = host
                ex.rules["site_from_url_host_v1"] += 1
    if prov.retrieved_at:
        retrieved = _retrieved(prov.retrieved_at)
        for c in ex.comments:
            if c.posted_at is None and c.posted_text:
                c.posted_at = absolute_time(c.posted_text, retrieved)
                if c.posted_at is not None:
                    ex.rules["relative_time_v1"] += 1


def _retrieved(text: str) -> tuple[dt.datetime, bool]:
    """The retrieval time as its wall clock (an offset is dropped), and whether it has one."""
    value = dt.datetime.fromisoformat(text)
    return value.replace(tzinfo=None, microsecond=0), "T" in text


_UNITS = {
    "seconds": "second sec secs sekunde sekunden seconde secondes segundo segundos secondi "
    "seconden",
    "minutes": "minute minutes min mins minuten minuto minutos minuti minuut",
    "hours": "hour hours hr hrs stunde stunden heure heures hora horas ore ora uur",
    "days": "day days tag tage tagen jour jours día días dia dias giorni giorno dagen dag",
    "weeks": "week weeks woche wochen semaine semaines semana semanas settimane settimana weken",
    "months": "month months monat monate monaten mois mes meses mesi mese mês maanden maand",
    "years": "year years jahr jahre jahren an ans année années año años anni anno ano anos jaar",
}
_UNIT = {w: unit for unit, words in _UNITS.items() for w in words.split()}
#: Spelled-out amounts; None for the vague ones, which give no time.
_AMOUNTS: tuple[tuple[int | None, str], ...] = (
    (1, "a an one un une una uno um uma een einem einer einen ein"),
    (2, "two zwei deux dos due dois twee"),
    (3, "three drei trois tres tre três drie"),
    (None, "few several wenigen quelques unos unas alcuni alguns paar"),
)
_AMOUNT = {w: n for n, words in _AMOUNTS for w in words.split()}
_DAYS: tuple[tuple[int, str], ...] = (
    (0, "today heute aujourd aujourd'hui aujourd’hui hoy oggi hoje vandaag"),
    (-1, "yesterday gestern hier ayer ieri ontem gisteren"),
    (-2, "vorgestern"),
)
_DAY_WORDS = {w: n for n, words in _DAYS for w in words.split()}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_SUB_DAY = ("seconds", "minutes", "hours")


def absolute_time(shown: str, retrieved: tuple[dt.datetime, bool]) -> dt.datetime | None:
    """``relative_time_v1``: the time a relative expression stands for, seen from the retrieval
    time; None when the text holds no relative time, or one too vague or too fine for it."""
    m = find_datetime(shown)
    if m is None or not m.relative:
        return None
    at, has_clock = retrieved
    words = [w.lower() for w in _WORD.findall(m.raw)]
    day = next((_DAY_WORDS[w] for w in words if w in _DAY_WORDS), None)
    try:
        if day is not None:
            when = at.date() + dt.timedelta(days=day)
        else:
            amount, unit = _amount(words)
            if amount is None or unit is None:
                return None
            if unit in _SUB_DAY:
                if not has_clock:
                    return None  # the day itself is unknown
                return at - dt.timedelta(**{unit: amount})
            when = _minus(at.date(), amount, unit)
    except (OverflowError, ValueError):
        return None
    return dt.datetime.combine(when, m.clock or dt.time())


def _amount(words: list[str]) -> tuple[int | None, str | None]:
    """The first unit word right after an amount, and the amount."""
    for prev, w in itertools.pairwise(words):
        unit = _UNIT.get(w)
        if unit is None:
            continue
        if prev.isdigit():
            return int(prev), unit
        if prev in _AMOUNT:
            return _AMOUNT[prev], unit
    return None, None


def _minus(day: dt.date, amount: int, unit: str) -> dt.date:
    if unit == "days":
        return day - dt.timedelta(days=amount)
    if unit == "weeks":
        return day - dt.timedelta(weeks=amount)
    months = day.year * 12 + day.month - 1 - (amount * 12 if unit == "years" else amount)
    year, month = divmod(months, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# -- the sources, for the card and the datasheet -----------------------------------------------

SOURCES_SHOWN = 100


def sources_markdown(metadata_dir: Path) -> str:
    """The dataset's sources with their licences, from the metadata table's ``source_*``
    columns: a count per licence and a table (file, url, site, license, retrieved_at) of the
    first :data:`SOURCES_SHOWN` seeds that have a manifest row. Empty when none has one, so a
    document without a manifest is as before."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    cols = ["file_name", *(PREFIX + c for c in ("url", "site", "license", "retrieved_at"))]
    table = ds.dataset(metadata_dir, format="parquet").to_table(columns=cols)
    known = pc.or_kleene(
        pc.is_valid(table.column(cols[1])),
        pc.or_kleene(
            pc.is_valid(table.column(cols[2])),
            pc.or_kleene(pc.is_valid(table.column(cols[3])), pc.is_valid(table.column(cols[4]))),
        ),
    )
    table = table.filter(known)
    if table.num_rows == 0:
        return ""
    licences = table.column(cols[3]).value_counts().to_pylist()
    counts = sorted((d["values"] or "(not stated)", d["counts"]) for d in licences)
    lines = [
        "",
        "",
        f"**Sources and licences.** {table.num_rows} seed(s) name their source in the seeds' "
        "manifest (every seed's is in the `metadata` columns `source_*`). Seeds per licence:",
        "",
        "| license | seeds |",
        "|---|---|",
        *(f"| {_cell(k)} | {n} |" for k, n in counts),
        "",
        "| file | url | site | license | retrieved_at |",
        "|---|---|---|---|---|",
    ]
    for row in table.slice(0, SOURCES_SHOWN).to_pylist():
        lines.append("| " + " | ".join(_cell(row[c]) for c in cols) + " |")
    if table.num_rows > SOURCES_SHOWN:
        lines.append(f"\n... and {table.num_rows - SOURCES_SHOWN} more (see `metadata`).")
    return "\n".join(lines)


def _cell(value: str | None) -> str:
    if value is None:
        return ""
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
