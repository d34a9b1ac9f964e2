"""One verdict a class can read under a run: all modes, collapsed onto one or two, off the modes, diverged.

"Collapsed" is the lessons' idea of mode collapse (lesson_metrics: on_top_mode, on_top2_modes; lesson 2 claims
on_top2_modes >= 0.5): most samples lie ON one or two modes, within 3 sigma. A compact cloud far from every
mode is not a collapse (it is "off the modes"), and a few stray samples on other modes do not undo one (they
still count as captured modes in the VEEGAN sense, which alone would call a collapsed run "3/8 modes").

An even cover of a few modes also puts half the samples on two of them (4 of 8 modes; or 2 modes of a
2-mode target, all of it), so the one or two modes must also hold DOMINANCE of the samples that are on any
mode: 4 or 3 modes covered evenly is "partial", half on each of 2 modes of 8 is a collapse onto 2, and a
target of 2 modes covered evenly is "all" (one cannot collapse onto as many modes as the target has).

Qt-free: the app's seed grid and twin runs format the verdicts (and translate them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .batched_metrics import mode_coverage_batched
from .coverage import mode_coverage

COLLAPSE_SHARE = 0.5   # at least this share of ALL samples on the one or two fullest modes (lesson 2)
DOMINANCE = 0.75       # ... which hold at least this share of the samples that are on any mode
OFF_SHARE = 0.5        # fewer high-quality samples than this share: "off the modes" (not covering anything)
KINDS = ("diverged", "collapsed", "off", "all", "partial")


@dataclass(frozen=True)
class Verdict:
    """kind is one of KINDS; collapsed_on is 1 or 2 for a collapse (the modes the mass sits on), else 0."""

    kind: str
    modes_captured: int
    n_modes: int
    collapsed_on: int = 0
    on_top1: float = 0.0      # lesson_metrics' on_top_mode
    on_top2: float = 0.0      # lesson_metrics' on_top2_modes
    hq_fraction: float = 0.0

    @property
    def collapsed(self) -> bool:
        return self.kind == "collapsed"


def verdict_from_counts(per_mode, n_samples: int, diverged: bool = False) -> Verdict:
    """The verdict from the high-quality samples nearest each mode (coverage.per_mode) out of n_samples."""
    per_mode = np.asarray(per_mode, dtype=np.int64)
    k = len(per_mode)
    n = max(int(n_samples), 1)
    ranked = np.sort(per_mode)[::-1]
    top1 = float(ranked[:1].sum() / n)
    top2 = float(ranked[:2].sum() / n)
    hq = float(per_mode.sum() / n)
    captured = int((per_mode >= 1).sum())
    common = dict(modes_captured=captured, n_modes=k, on_top1=top1, on_top2=top2, hq_fraction=hq)
    if diverged or n_samples <= 0:
        return Verdict("diverged", **common)
    for top, share in ((1, top1), (2, top2)):
        if top < k and share >= COLLAPSE_SHARE and share >= DOMINANCE * hq:
            return Verdict("collapsed", collapsed_on=top, **common)
    if hq < OFF_SHARE:
        return Verdict("off", **common)
    return Verdict("all" if captured == k else "partial", **common)


def verdict(samples: np.ndarray, target, diverged: bool = False) -> Verdict:
    """The verdict for one run's (n, 2) generated samples; all non-finite samples count as diverged."""
    x = np.asarray(samples)
    if x.size and not np.isfinite(x).any():
        diverged = True
    cov = mode_coverage(x, target)
    return verdict_from_counts(cov.per_mode, len(cov.hq), diverged)


def verdicts(samples: np.ndarray, target, diverged=None) -> list[Verdict]:
    """verdict() for every member of (N, n, 2) samples at once (one batched coverage pass)."""
    x = np.asarray(samples)
    n_members, n = x.shape[0], x.shape[1]
    flags = np.zeros(n_members, dtype=bool) if diverged is None else np.asarray(diverged, dtype=bool).copy()
    if n:
        flags |= ~np.isfinite(x).reshape(n_members, -1).any(axis=1)
    cov = mode_coverage_batched(x, target)
    return [verdict_from_counts(cov.per_mode[i], n, bool(flags[i])) for i in range(n_members)]


def count(items, kind: str) -> int:
    """How many of the verdicts are of `kind`."""
    return sum(1 for v in items if v.kind == kind)
