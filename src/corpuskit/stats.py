"""The build's counts, as ``build_stats.json`` records them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from .layouts import RULES_VERSION
from .model import Reject


class ChunkCounts(Protocol):
    """What a chunk of pass 1 counted (processing.ChunkResult)."""

    rejected: list[tuple[str, Reject]]
    layout: Counter[str]
    rules: Counter[str]
    boilerplate: Counter[str]


@dataclass
class BuildStats:
    seeds: int = 0
    status: Counter[str] = field(default_factory=Counter)
    layout: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)  # by RejectReason's value
    rules: Counter[str] = field(default_factory=Counter)
    boilerplate: Counter[str] = field(default_factory=Counter)
    rows: Counter[str] = field(default_factory=Counter)
    pseudonymized: bool = False

    def add_chunk(self, res: ChunkCounts) -> None:
        """Pass 1's counts of a chunk (pass 2 adds the rows and statuses)."""
        self.layout.update(res.layout)
        self.rules.update(res.rules)
        self.boilerplate.update(res.boilerplate)
        self.rejected.update(why.reason.value for _, why in res.rejected)

    def as_dict(self) -> dict[str, Any]:
        def srt(c: Counter[str]) -> dict[str, int]:
            return dict(sorted(c.items()))

        return {
            "rules_version": RULES_VERSION,
            "pseudonymized": self.pseudonymized,
            "seeds": self.seeds,
            "seeds_by_status": srt(self.status),
            "seeds_by_layout": srt(self.layout),
            "rejected_by_reason": srt(self.rejected),
            "duplicates_merged": self.status.get("duplicate", 0),
            "rows": srt(self.rows),
            "rules_fired": srt(self.rules),
            "boilerplate_lines_removed_by_rule": srt(self.boilerplate),
        }
