"""The field's two generator overlays: the push arrows and G's manifold.

- `PushArrows`     -dL_G/dx at (at most MAX_ARROWS of) the generated points: where the generator's loss
                   pushes each sample, as arrows scaled so that a typical one is 7% of the grid's width;
- `ManifoldLines`  G over a grid of noise values: one polyline for 1-D noise, the rows and columns of the
                   noise grid (at most MAX_MANIFOLD_LINES each way) for 2-D noise.

The worker may compute either only every few snapshots: each overlay keeps its last drawing for
STALE_FRAMES snapshots without new data (no blinking), then clears it. Non-finite values are left
out or break the lines, never drawn as garbage.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from .. import style

MAX_ARROWS = 300           # generator push arrows drawn at most
MAX_MANIFOLD_LINES = 25    # per direction, for a 2-D noise grid
STALE_FRAMES = 10          # snapshots without push/manifold before their drawing is cleared
ARROW_SHARE = 0.07         # a typical arrow (the 90th percentile) is this share of the grid's width
ARROW_HEAD_DEG = 25.0


class _Overlay:
    """One PlotCurveItem drawn from the snapshot field `source`, kept STALE_FRAMES snapshots without it."""

    source = ""

    def __init__(self, item: pg.PlotCurveItem, z: float):
        self.item = item
        item.setZValue(z)
        self._age = 0

    def update(self, snap, grid) -> None:
        """Draw this snapshot's data, or keep the last drawing a few snapshots when it has none."""
        if getattr(snap, self.source) is not None or self._age >= STALE_FRAMES:
            self.draw(snap, grid)
        else:
            self._age += 1

    def draw(self, snap, grid) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        self._age = 0
        self.item.setData(np.zeros(0), np.zeros(0))


class PushArrows(_Overlay):
    source = "fake_push"

    def __init__(self):
        super().__init__(pg.PlotCurveItem(connect="pairs"), 14)
        self._idx: np.ndarray | None = None   # the generated points that get an arrow

    def set_scale(self, scale: float) -> None:
        self.item.setPen(style.pen(style.PUSH, style.PUSH_WIDTH, scale))

    def draw(self, snap, grid) -> None:
        self._age = 0
        v, p = snap.fake_push, snap.fake
        if v is None or p is None or len(v) == 0 or len(v) != len(p):
            self.item.setData(np.zeros(0), np.zeros(0))
            return
        n = len(p)
        if self._idx is None or len(self._idx) != min(n, MAX_ARROWS) or self._idx[-1] >= n:
            self._idx = np.unique(np.linspace(0, n - 1, min(n, MAX_ARROWS)).astype(np.intp))
        idx = self._idx
        pts = p[idx].astype(np.float64)
        vec = v[idx].astype(np.float64)
        norms = np.hypot(vec[:, 0], vec[:, 1])
        ok = np.isfinite(norms) & np.isfinite(pts).all(axis=1) & (norms > 0)
        if not ok.any():
            self.item.setData(np.zeros(0), np.zeros(0))
            return
        pts, vec, norms = pts[ok], vec[ok], norms[ok]
        full = ARROW_SHARE * ((grid.xmax - grid.xmin) if grid is not None else 6.0)
        ref = float(np.percentile(norms, 90))
        lengths = np.minimum(norms * (full / ref), 1.5 * full)
        d = vec / norms[:, None]
        end = pts + d * lengths[:, None]
        head = (0.3 * lengths)[:, None]
        c, s = math.cos(math.radians(ARROW_HEAD_DEG)), math.sin(math.radians(ARROW_HEAD_DEG))
        w1 = np.column_stack([d[:, 0] * c - d[:, 1] * s, d[:, 0] * s + d[:, 1] * c])
        w2 = np.column_stack([d[:, 0] * c + d[:, 1] * s, -d[:, 0] * s + d[:, 1] * c])
        seg = np.empty((len(pts), 6, 2))   # three segments an arrow: the shaft and the two sides of the head
        seg[:, 0] = pts
        seg[:, 1] = end
        seg[:, 2] = end
        seg[:, 3] = end - head * w1
        seg[:, 4] = end
        seg[:, 5] = end - head * w2
        self.item.setData(seg[:, :, 0].ravel(), seg[:, :, 1].ravel())


class ManifoldLines(_Overlay):
    source = "manifold"

    def __init__(self):
        super().__init__(pg.PlotCurveItem(connect="finite"), 5)
        self._key = None                               # the noise grid's shape the connect array is for
        self._connect: np.ndarray | None = None

    def set_scale(self, scale: float) -> None:
        self.item.setPen(style.pen(style.MANIFOLD, style.MANIFOLD_WIDTH, scale))   # opaque: alpha is slow

    def draw(self, snap, grid) -> None:
        self._age = 0
        m = snap.manifold
        if m is None or m.size == 0:
            self.item.setData(np.zeros(0), np.zeros(0))
            return
        if m.ndim == 2:  # 1-D noise: one polyline
            xy = m
            key = ("line", len(m))
            if key != self._key:
                self._key = key
                self._connect = None
            connect = "finite"
        else:  # 2-D noise: rows and columns of the noise grid as separate lines
            rows, cols = m.shape[0], m.shape[1]
            sr = max(1, math.ceil(rows / MAX_MANIFOLD_LINES))
            sc = max(1, math.ceil(cols / MAX_MANIFOLD_LINES))
            a = m[::sr]                                   # (R', cols, 2): lines along the columns index
            b = m[:, ::sc].transpose(1, 0, 2)             # (C', rows, 2): lines along the rows index
            xy = np.concatenate([a.reshape(-1, 2), b.reshape(-1, 2)])
            key = ("grid", rows, cols)
            if key != self._key:
                conn_a = np.ones(a.shape[:2], dtype=bool)
                conn_a[:, -1] = False
                conn_b = np.ones(b.shape[:2], dtype=bool)
                conn_b[:, -1] = False
                self._key = key
                self._connect = np.concatenate([conn_a.ravel(), conn_b.ravel()])
            connect = self._connect
            bad = ~np.isfinite(xy).all(axis=1)
            if bad.any():  # break the lines at non-finite points instead of drawing garbage
                connect = connect & ~bad & ~np.roll(bad, -1)
                xy = np.where(bad[:, None], 0.0, xy)
        self.item.setData(xy[:, 0], xy[:, 1], connect=connect)
