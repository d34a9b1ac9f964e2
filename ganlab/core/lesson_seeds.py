"""A lesson's claims on seeds nobody tuned: its full check rerun with only train.seed changed, on fixed seeds
(101 upwards, never the lesson's own), and the pass count of each claim. A lesson shown to a class must hold
on at least SEEDS_REQUIRED of them (issue 12); benchmarks/check_lessons.py --seeds 10 reports it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .lessons import CheckResult, Claim, Lesson, fmt_number, run_check

UNSEEN_SEEDS_FROM = 101   # the seeds a lesson is re-checked on: 101, 102, ... (skipping the lesson's own seed)
SEEDS_REQUIRED = 0.8      # every claim must hold on at least this share of them (8 of 10)


def unseen_seeds(lesson: Lesson, n: int = 10) -> list[int]:
    """The n fixed seeds, 101 upwards, that a lesson's robustness is checked on; never the lesson's own
    seed, so nothing in the lesson was tuned on them."""
    out, s = [], UNSEEN_SEEDS_FROM
    while len(out) < n:
        if s != lesson.seed:
            out.append(s)
        s += 1
    return out


@dataclass
class SeedsResult:
    """One lesson's full check repeated with only the seed changed."""

    lesson_id: str
    results: list[CheckResult]     # one per seed, in the order run

    @property
    def seeds(self) -> list[int]:
        return [r.seed for r in self.results]

    def claim_passes(self) -> list[tuple[Claim, int]]:
        """(claim, on how many seeds it held), in the lesson's claim order."""
        if not self.results:
            return []
        return [(c.claim, sum(bool(r.claims[i].passed) for r in self.results))
                for i, c in enumerate(self.results[0].claims)]

    def required(self) -> int:
        return math.ceil(SEEDS_REQUIRED * len(self.results) - 1e-9)

    @property
    def all_passed(self) -> int:
        """Seeds on which every claim held."""
        return sum(r.passed and r.complete for r in self.results)

    @property
    def passed(self) -> bool:
        """Every claim held on at least SEEDS_REQUIRED of the seeds (and there was at least one seed)."""
        need = self.required()
        return bool(self.results) and all(k >= need for _, k in self.claim_passes())

    def report(self) -> str:
        n = len(self.results)
        secs = [r.seconds for r in self.results]
        lines = [f"lesson {self.lesson_id} on seeds {_seed_span(self.seeds)}: "
                 f"{'PASS' if self.passed else 'FAIL'} (every claim on >= {self.required()}/{n}); "
                 f"all claims together on {self.all_passed}/{n}; "
                 f"{min(secs, default=0):.1f}-{max(secs, default=0):.1f} s per seed"]
        for i, (claim, k) in enumerate(self.claim_passes()):
            failed = [r.seed for r in self.results if not r.claims[i].passed]
            tail = f"; fails on {', '.join(map(str, failed))}" if failed else ""
            lines.append(f"  {k:>2}/{n} {claim.text} ({claim.bound_text()}){tail}")
            lines.append(f"        over the seeds: {self._spread(i)}")
        return "\n".join(lines)

    def _spread(self, i: int) -> str:
        """What claim i measured over all seeds: the range of its values (distinct values or steps held)."""
        claim = self.results[0].claims[i].claim
        per_seed = [r.claims[i].values for r in self.results if r.claims[i].passed is not None]
        if not per_seed:
            return "skipped"
        if claim.distinct_min is not None:
            counts = [len({v for v in vs if math.isfinite(v)}) for vs in per_seed]
            return f"{min(counts)}-{max(counts)} distinct values"
        if claim.at_least is not None:
            held = [sum(math.isfinite(v) and (claim.min is None or v >= claim.min)
                        and (claim.max is None or v <= claim.max) for v in vs) for vs in per_seed]
            return f"held at {min(held)}-{max(held)} of {len(claim.at)} steps"
        flat = [v for vs in per_seed for v in vs if math.isfinite(v)]
        if not flat:
            return "no finite value"
        return f"measured {fmt_number(min(flat))} to {fmt_number(max(flat))}" + (
            "" if len(claim.at) == 1 else f" (steps {claim.at[0]}-{claim.at[-1]})")


def run_seeds(lesson: Lesson, seeds: list[int] | None = None, progress=None) -> SeedsResult:
    """run_check on each seed (default: unseen_seeds(lesson)); progress(result) is called after each."""
    results = []
    for s in unseen_seeds(lesson) if seeds is None else seeds:
        r = run_check(lesson, seed=s)
        results.append(r)
        if progress is not None:
            progress(r)
    return SeedsResult(lesson.id, results)


def _seed_span(seeds: list[int]) -> str:
    if seeds and seeds == list(range(seeds[0], seeds[0] + len(seeds))) and len(seeds) > 2:
        return f"{seeds[0]}..{seeds[-1]}"
    return ", ".join(map(str, seeds))
