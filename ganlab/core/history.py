"""Append-only metric history that another thread can read without locks.

Columns live in preallocated numpy arrays that double when full. A reader takes `view()`,
which slices the arrays at the current length: the slice stays valid even if the writer
reallocates afterwards (the old array is kept alive by the slice), so the GUI thread can draw
curves while the training thread appends, and a snapshot never copies the whole history.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping

import numpy as np


class History:
    def __init__(self, columns: tuple[str, ...], capacity: int = 4096):
        self.columns = tuple(columns)
        self._data = np.full((capacity, len(columns)), np.nan)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def append(self, *values: float) -> None:
        if len(values) != len(self.columns):
            raise ValueError(f"expected {len(self.columns)} values ({', '.join(self.columns)})")
        data = self._data
        if self._n == len(data):
            grown = np.full((max(2 * len(data), 16), len(self.columns)), np.nan)
            grown[: self._n] = data
            data = grown
        data[self._n] = values
        self._data = data  # publish the (possibly new) array before the new length
        self._n += 1

    def view(self) -> dict[str, np.ndarray]:
        """Read-only column views of the rows written so far."""
        n, data = self._n, self._data
        rows = data[:n]
        rows = rows.view()
        rows.setflags(write=False)
        return {c: rows[:, i] for i, c in enumerate(self.columns)}

    def array(self) -> np.ndarray:
        return self._data[: self._n].copy()

    def last(self) -> dict[str, float] | None:
        if self._n == 0:
            return None
        return dict(zip(self.columns, self._data[self._n - 1].tolist(), strict=True))

    def clear(self) -> None:
        self._data = np.full((4096, len(self.columns)), np.nan)
        self._n = 0

    def load(self, array: np.ndarray) -> None:
        array = np.asarray(array, dtype=np.float64).reshape(-1, len(self.columns))
        self._data = np.full((max(4096, 2 * len(array)), len(self.columns)), np.nan)
        self._data[: len(array)] = array
        self._n = len(array)

    def to_csv(self) -> str:
        """The rows as CSV text: a header of the column names, NaN as an empty cell (6 significant digits)."""
        data = self._data[: self._n]
        return _csv_text(self.columns, [data[:, i] for i in range(len(self.columns))], digits=6)


# Columns that hold counts: written without a decimal point when the value is whole.
INTEGER_COLUMNS = frozenset({"step", "modes_captured", "n_modes", "iteration"})


def curves_csv(losses: Mapping[str, np.ndarray] | None, metrics: Mapping[str, np.ndarray] | None) -> str:
    """The curves' data as one CSV table: one row per step logged in `losses` or `metrics`, joined on `step`.

    `losses` and `metrics` are column dicts (History.view(), a Snapshot's losses and metrics). Columns:
    step, then every losses column, then every metrics column (without repeating `step`); a value a table
    does not have at that step is left empty, as is NaN. Integers stay integers; 8 significant digits.
    """
    losses = dict(losses or {})
    metrics = dict(metrics or {})
    lcols = [c for c in losses if c != "step"]
    mcols = [c for c in metrics if c != "step" and c not in lcols]
    ls = np.asarray(losses.get("step", np.zeros(0)), dtype=np.float64)
    ms = np.asarray(metrics.get("step", np.zeros(0)), dtype=np.float64)
    steps = np.union1d(ls[np.isfinite(ls)], ms[np.isfinite(ms)])
    table = {"step": steps}
    for cols, src, s in ((lcols, losses, ls), (mcols, metrics, ms)):
        # the last row with each step wins (a table never logs one step twice, but be safe)
        if len(s):
            order = np.argsort(s, kind="stable")
            s_sorted = s[order]
            last = np.searchsorted(s_sorted, steps, side="right") - 1
            found = (last >= 0) & (s_sorted[np.clip(last, 0, None)] == steps)
            rows = order[np.clip(last, 0, None)]
        else:
            found = np.zeros(len(steps), dtype=bool)
            rows = np.zeros(len(steps), dtype=np.intp)
        for c in cols:
            col = np.asarray(src[c], dtype=np.float64)
            table[c] = np.where(found, col[rows] if len(col) else np.nan, np.nan)
    header = ["step", *lcols, *mcols]
    return _csv_text(header, [table[c] for c in header], digits=8)


def _csv_text(header, columns: list[np.ndarray], digits: int) -> str:
    """The one CSV writer: a header row, then one row per index of the (equally long) columns."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    ints = [c in INTEGER_COLUMNS for c in header]
    for i in range(len(columns[0]) if columns else 0):
        w.writerow([_cell(float(col[i]), integer, digits) for col, integer in zip(columns, ints, strict=True)])
    return buf.getvalue()


def _cell(v: float, integer: bool, digits: int) -> str:
    """One value as CSV text: NaN is an empty cell, +-inf is inf/-inf, a whole count has no decimal point."""
    if not math.isfinite(v):
        return "" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if integer and v.is_integer():
        return str(int(v))
    return f"{v:.{digits}g}"


def decimate(x: np.ndarray, y: np.ndarray, max_points: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """Min/max decimation: keeps spikes visible while drawing at most max_points points (>= 4).

    The series is cut into `bins` buckets of equal length to within one point (the n % bins oldest
    buckets hold one point more), so every part of the run is drawn at the same resolution; each
    bucket contributes its min and its max (in time order), and the first and last points are always
    kept so the curve spans the whole run. NaNs are skipped (a bucket of NaNs keeps a NaN: a gap).
    """
    n = len(x)
    if n <= max_points:
        return x, y
    bins = max(1, (max_points - 2) // 2)  # 2 points per bucket, plus the first and the last
    per, extra = divmod(n, bins)
    yy = np.asarray(y, dtype=np.float64)
    parts = [np.zeros(1, dtype=np.intp)]
    start = 0
    for count, size in ((extra, per + 1), (bins - extra, per)):  # two runs of equal-sized buckets
        if count == 0:
            continue
        block = yy[start:start + count * size].reshape(count, size)
        lo = np.argmin(np.where(np.isnan(block), np.inf, block), axis=1)
        hi = np.argmax(np.where(np.isnan(block), -np.inf, block), axis=1)
        base = start + np.arange(count) * size
        parts.append(np.stack([base + lo, base + hi], axis=1).ravel())
        start += count * size
    parts.append(np.array([n - 1], dtype=np.intp))
    idx = np.unique(np.concatenate(parts))  # sorted, without duplicates (flat buckets give lo == hi)
    return x[idx], y[idx]
