"""The theory of the original GAN paper, evaluated on a grid: p_g, D*, JSD, KL and V(G, D).

Method (shared/notes/numerics.md), the same on a 1-D grid (Grid1D: every field then has shape (n,), the
KDE is one matrix product and p_data is a direct log-sum-exp over the modes):
- p_g is a binned KDE: the generated samples are binned onto the grid cells and blurred with a
  separable Gaussian kernel of std h (two small matrix products). It is normalised by the total
  number of samples, so samples that land off the grid are lost mass, reported as pg_mass_in_grid.
- p_data is smoothed with the SAME kernel. For a Gaussian mixture this is exact: every mode's
  variance becomes sigma^2 + h^2. The smoothed JSD is then free of the small-sample bias floor of an
  unsmoothed comparison, and is a lower bound of the true JSD.
- Everything is done in log space (log D* = log p_d - logaddexp(log p_d, log p_g)); densities are
  floored at 1e-300 so logs stay finite.

Conventions: V(G, D) = E_pdata[log D] + E_pg[log(1 - D)] (the paper's sum, not an average), so
V(G, D*) = -log 4 + 2 JSD(p_data || p_g), with JSD in nats, 0 <= JSD <= log 2.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .grid import Grid, Grid1D

LOG_FLOOR = math.log(1e-300)  # log densities never go below this (keeps KL and logs finite)
# D* is masked where p_d + p_g is below this fraction of its peak on the grid: there both densities
# are negligible and the ratio only reflects far-tail numerics (e.g. the KDE's kernel truncation).
DSTAR_MASK_REL = 1e-10
LOG_DSTAR_MASK = math.log(DSTAR_MASK_REL)
D_CLIP = 1e-7
# The Gaussian filter is cut at this many bandwidths. Far enough that a kernel's tail falls below the
# D* mask before it is cut (e^-24.5 ~ 2e-11): cut at 4 bandwidths, the separable filter's square support
# became the mask's edge, and a few stray generated points drew D* as blocky squares.
KERNEL_TRUNCATE = 7.0
LOG4 = math.log(4.0)
LOG2 = math.log(2.0)


# --------------------------------------------------------------------------- bandwidth
def auto_bandwidth(target, grid: Grid | Grid1D) -> float:
    """The KDE kernel std h: the smallest mode std, but at least one grid spacing.

    Why the smallest std: a kernel much wider than the modes blurs them together (scipy's default
    bandwidth is 15 sigma on the ring and reads 0.64 nats for a perfect generator), while p_data
    is smoothed by the same kernel, so a kernel about one mode wide costs no bias and keeps each mode
    resolved. Why at least one spacing: a narrower kernel is undersampled by the grid (the filter
    degenerates to the raw histogram, noisy and spiky), and the binning itself already blurs by
    about a cell.
    """
    return float(max(float(target.min_std), grid.dx, getattr(grid, "dy", grid.dx)))


# --------------------------------------------------------------------------- KDE of p_g
@lru_cache(maxsize=16)
def _kernel_matrix(n: int, h_cells: float) -> np.ndarray:
    """Banded (n, n) matrix applying a 1-D Gaussian filter of std h_cells (in cells), cut at 4h.

    The taps are normalised to sum 1, so the filter keeps mass except what it pushes off the grid
    edge (lost, not renormalised). Read-only because it is cached.
    """
    r = max(1, int(math.ceil(KERNEL_TRUNCATE * h_cells)))
    taps = np.arange(-r, r + 1, dtype=np.float64)
    w = np.exp(-0.5 * (taps / max(h_cells, 1e-12)) ** 2)
    w /= w.sum()
    d = np.subtract.outer(np.arange(n), np.arange(n))  # i - j
    m = np.zeros((n, n))
    band = np.abs(d) <= r
    m[band] = w[d[band] + r]
    m.setflags(write=False)
    return m


def _kde_density(samples, grid: Grid | Grid1D, h: float) -> tuple[np.ndarray, int, int]:
    """Binned KDE density grid.shape (not logged), the number of samples on the grid and the total."""
    if grid.dim == 1:
        return _kde_density_1d(samples, grid, h)
    x = np.asarray(samples, dtype=np.float64).reshape(-1, 2)
    n_total = len(x)
    n = grid.n
    if n_total == 0:
        return np.zeros((n, n)), 0, 0
    fx = (x[:, 0] - grid.xmin) * (n / (grid.xmax - grid.xmin))
    fy = (x[:, 1] - grid.ymin) * (n / (grid.ymax - grid.ymin))
    # NaN and inf fail these comparisons, so non-finite samples count as off-grid.
    with np.errstate(invalid="ignore"):
        inside = (fx >= 0) & (fx < n) & (fy >= 0) & (fy < n)
    ix = fx[inside].astype(np.intp)
    iy = fy[inside].astype(np.intp)
    np.minimum(ix, n - 1, out=ix)  # guards x just below xmax rounding up to n
    np.minimum(iy, n - 1, out=iy)
    n_in = int(len(ix))
    counts = np.bincount(iy * n + ix, minlength=n * n).astype(np.float64).reshape(n, n)  # [iy, ix]
    if h > 0:
        ky = _kernel_matrix(n, float(h) / grid.dy)
        kx = ky if grid.dx == grid.dy else _kernel_matrix(n, float(h) / grid.dx)
        counts = ky @ counts @ kx.T
    counts *= 1.0 / (n_total * grid.cell_area)
    return counts, n_in, n_total


def _kde_density_1d(samples, grid: Grid1D, h: float) -> tuple[np.ndarray, int, int]:
    """_kde_density on a line: a histogram of the samples (N, 1) blurred by one banded matrix product."""
    x = np.asarray(samples, dtype=np.float64).reshape(-1)
    n_total = len(x)
    n = grid.n
    if n_total == 0:
        return np.zeros(n), 0, 0
    fx = (x - grid.xmin) * (n / (grid.xmax - grid.xmin))
    with np.errstate(invalid="ignore"):
        inside = (fx >= 0) & (fx < n)
    ix = fx[inside].astype(np.intp)
    np.minimum(ix, n - 1, out=ix)
    counts = np.bincount(ix, minlength=n).astype(np.float64)
    if h > 0:
        counts = _kernel_matrix(n, float(h) / grid.dx) @ counts
    counts *= 1.0 / (n_total * grid.cell_area)
    return counts, int(len(ix)), n_total


def _safe_log(p: np.ndarray) -> np.ndarray:
    return np.log(np.maximum(p, 1e-300))


def kde_log_density(samples: np.ndarray, grid: Grid | Grid1D, h: float) -> np.ndarray:
    """Log of the binned Gaussian KDE of `samples` (N, dim) at the grid's cell centres, grid.shape float64.

    Normalised by the TOTAL number of samples: samples off the grid (or non-finite) are lost mass,
    not renormalised. Floored at log(1e-300). h = 0 gives the plain histogram density.
    """
    dens, _, _ = _kde_density(samples, grid, _check_h(h))
    return _safe_log(dens)


# --------------------------------------------------------------------------- p_data on the grid
_CACHE_MAX = 4
_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


def _target_key(target, grid: Grid, h: float) -> tuple:
    # By value: a GaussianMixture is immutable, but two equal mixtures built separately (e.g. after
    # an undo) should share an entry, and a recycled id() must never return a stale field.
    return (grid, float(h), np.ascontiguousarray(target.means).tobytes(),
            np.ascontiguousarray(target.stds).tobytes(), np.ascontiguousarray(target.weights).tobytes())


def log_p_data_grid(target, grid: Grid | Grid1D, h: float) -> np.ndarray:
    """Exact log density of p_data smoothed by a Gaussian kernel of std h, at the cell centres (grid.shape).

    Same values as target.log_prob(grid.points(), extra_var=h*h) (but from float64 centres, and
    floored at log(1e-300)), computed with a separable fast path and cached (a few entries, keyed by
    value): the target rarely changes. The returned array is read-only; copy it to modify.
    """
    return _p_data_fields(target, grid, h)[0]


def _p_data_fields(target, grid: Grid | Grid1D, h: float) -> tuple[np.ndarray, np.ndarray]:
    """(log p_d, p_d) on the grid, both read-only and cached; p_d >= 1e-300 (the floor)."""
    h = _check_h(h)
    key = _target_key(target, grid, h)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    if grid.dim == 1:  # n points and a few modes: the direct log-sum-exp is exact and cheap
        log_pd = np.maximum(target.log_prob(grid.points64(), extra_var=h * h), LOG_FLOOR)
    else:
        log_pd = _log_p_data_separable(target, grid, h)
    p = np.exp(log_pd)
    log_pd.setflags(write=False)
    p.setflags(write=False)
    entry = (log_pd, p)
    with _cache_lock:
        _cache[key] = entry
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_MAX:
            _cache.popitem(last=False)
    return entry


def clear_cache() -> None:
    """Forget the cached p_data fields (for benchmarks and tests)."""
    with _cache_lock:
        _cache.clear()


def _log_p_data_separable(target, grid: Grid, h: float) -> np.ndarray:
    """log sum_k w_k N(x; mu_k, v_k I) on the grid, v_k = sigma_k^2 + h^2, as one (n, K) @ (K, n) matmul.

    An isotropic Gaussian factorises along x and y, so the mixture is Fy^T @ Fx with 1-D factors
    Fy[k, iy] = exp(log c_k - (y - my_k)^2 / 2v_k + s), Fx[k, ix] = exp(-(x - mx_k)^2 / 2v_k + s).
    The shift s (about 340) moves the float64 range so that the product holds p * e^(2s) without
    overflow at the peak and without underflow down to far below the 1e-300 floor: every term
    above ~1e-600 survives, so the result matches the direct log-space sum to ~1e-13 everywhere.
    """
    means = np.asarray(target.means, dtype=np.float64)
    var = np.asarray(target.stds, dtype=np.float64) ** 2 + h * h  # (K,)
    log_c = np.log(np.asarray(target.weights, dtype=np.float64)) - math.log(2.0 * math.pi) - np.log(var)
    # 2s + max(log c) + log K stays below log(max float64) ~ 709.
    s = 0.5 * (700.0 - max(float(log_c.max()), 0.0) - math.log(len(var)))
    cx, cy = grid.centers_x(), grid.centers_y()
    fx = np.exp(s - 0.5 * (cx[None, :] - means[:, 0:1]) ** 2 / var[:, None])  # (K, n)
    fy = np.exp(s + log_c[:, None] - 0.5 * (cy[None, :] - means[:, 1:2]) ** 2 / var[:, None])  # (K, n)
    prod = fy.T @ fx  # (n_y, n_x) = p * e^(2s)
    with np.errstate(divide="ignore"):
        out = np.log(prod) - 2.0 * s
    return np.maximum(out, LOG_FLOOR)


# --------------------------------------------------------------------------- divergences
def log_dstar(log_pd: np.ndarray, log_pg: np.ndarray, floor: float = LOG_DSTAR_MASK) -> np.ndarray:
    """log D* = log p_d - logaddexp(log p_d, log p_g), NaN where both densities are negligible.

    Masked: cells where p_d + p_g < exp(floor) * max(p_d + p_g) (relative to the grid's peak, so it
    works for narrow and wide modes alike; default 1e-10).
    """
    lse = np.logaddexp(log_pd, log_pg)
    return _log_dstar_from(log_pd, lse, floor)


def _log_dstar_from(log_pd, lse, floor):
    out = log_pd - lse
    peak = np.max(lse) if lse.size else 0.0
    out[lse < peak + floor] = np.nan
    return out


def _floored(log_p) -> np.ndarray:
    return np.maximum(np.asarray(log_p, dtype=np.float64), LOG_FLOOR)


def _check_h(h) -> float:
    h = float(h)
    if not (math.isfinite(h) and h >= 0.0):
        raise ValueError(f"KDE bandwidth h must be finite and >= 0, got {h}")
    return h


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a.ravel(), b.ravel()))


def _jsd_terms(p, q, log_d, log_1md, cell_area) -> tuple[float, float]:
    """(JSD, V(G, D*)) from the densities and log D*, log(1 - D*) (all unmasked).

    V(G, D*) = int p log D* + q log(1 - D*); JSD = 1/2 int p log(2p/(p+q)) + q log(2q/(p+q))
    = 1/2 [V(G, D*) + log 2 (int p + int q)]. Each cell's JSD integrand is >= 0, so the sum is
    clipped to [0, log 2] against round-off only.
    """
    v_star = (_dot(p, log_d) + _dot(q, log_1md)) * cell_area
    mass = (float(p.sum()) + float(q.sum())) * cell_area
    j = 0.5 * (v_star + LOG2 * mass)
    return float(min(max(j, 0.0), LOG2)), v_star


def jsd(log_p: np.ndarray, log_q: np.ndarray, cell_area: float) -> float:
    """Jensen-Shannon divergence in nats as a grid integral, computed in log space; in [0, log 2].

    Inputs are floored at log(1e-300) (so -inf is accepted).
    """
    log_p = _floored(log_p)
    log_q = _floored(log_q)
    lse = np.logaddexp(log_p, log_q)
    return _jsd_terms(np.exp(log_p), np.exp(log_q), log_p - lse, log_q - lse, cell_area)[0]


def kl(log_p: np.ndarray, log_q: np.ndarray, cell_area: float) -> float:
    """KL(p || q) in nats as a grid integral. Large where q misses p's mass, but finite thanks to the
    log floor (at most about 690 nats per unit of p's mass; inputs are floored at log(1e-300)).
    Clipped at 0 (grid round-off)."""
    log_p = _floored(log_p)
    log_q = _floored(log_q)
    return max(_dot(np.exp(log_p), log_p - log_q) * cell_area, 0.0)


def value_function(d_prob: np.ndarray, log_pd: np.ndarray, log_pg: np.ndarray, cell_area: float) -> float:
    """Grid estimate of V(G, D) = int p_d log D + p_g log(1 - D), D clipped to [1e-7, 1 - 1e-7].

    Cells where D is NaN (e.g. the masked cells of D*, where both densities are negligible) are
    skipped; NaN if no cell is left. d_prob may have grid.shape or be flat. The logs of D are taken
    in float32 (D comes from a float32 network), which moves V by ~1e-7.
    """
    return _value(d_prob, np.exp(_floored(log_pd)), np.exp(_floored(log_pg)), cell_area)


def _value(d_prob, p, q, cell_area) -> float:
    # D comes from a float32 network; the logs are taken in float32 (SIMD, ~6x faster than float64
    # log1p here), which changes V by ~1e-7. 1 - d is exact in float32 for d >= 1/2.
    d = np.asarray(d_prob, dtype=np.float32).reshape(p.shape)
    ok = np.isfinite(d)
    all_ok = bool(ok.all())
    if not all_ok:
        if not ok.any():
            return float("nan")
        d = np.where(ok, d, np.float32(0.5))
    d = np.clip(d, np.float32(D_CLIP), np.float32(1.0 - D_CLIP))
    log_d = np.log(d).astype(np.float64)
    log_1md = np.log(np.float32(1.0) - d).astype(np.float64)
    if all_ok:
        return (_dot(p, log_d) + _dot(q, log_1md)) * cell_area
    return float(np.sum((p * log_d + q * log_1md)[ok])) * cell_area


# --------------------------------------------------------------------------- all together
@dataclass
class TheoryFields:
    """Everything the theory panel shows for one snapshot of the generator (and discriminator)."""

    grid: Grid | Grid1D     # the fields have grid.shape: (n, n) [iy, ix] in 2-D, (n,) in 1-D
    bandwidth: float
    log_p_data: np.ndarray  # grid.shape float64, smoothed p_data; read-only (shared with the cache)
    log_p_g: np.ndarray  # grid.shape float64, binned KDE of the generated samples
    dstar: np.ndarray  # grid.shape float32, D* = p_d / (p_d + p_g), NaN where masked
    jsd: float  # nats
    kl_pdata_pg: float
    kl_pg_pdata: float
    v_at_dstar: float  # grid integral of V(G, D*)
    v_estimate: float  # grid integral of V(G, D) for the given D; NaN without one (value.py: from samples)
    pg_mass_in_grid: float  # share of generated samples inside the grid
    kl_pdata_m: float = float("nan")  # KL(p_data || M), M = (p_data + p_g) / 2: formula (14)'s first term
    kl_pg_m: float = float("nan")     # KL(p_g || M); -log 4 + kl_pdata_m + kl_pg_m = v_at_dstar, their mean = jsd

    @property
    def v_identity(self) -> float:
        """-log 4 + 2 JSD: equals v_at_dstar (mass off the grid is counted as one more bin)."""
        return -LOG4 + 2.0 * self.jsd


def _as_numpy(x, dim: int = 2) -> np.ndarray:
    if hasattr(x, "detach"):  # a torch tensor, possibly on a GPU or with grad
        x = x.detach().cpu().numpy()
    return np.asarray(x, dtype=np.float64).reshape(-1, dim)


def _outside_bin(p_out: float, q_out: float) -> tuple[float, float, float, float]:
    """JSD, V(G, D*), KL(p || M) and KL(q || M) terms of the probability mass that lies outside the grid."""
    p_out, q_out = max(p_out, 0.0), max(q_out, 0.0)
    m = p_out + q_out
    if m <= 1e-12:
        return 0.0, 0.0, 0.0, 0.0
    v = sum(x * math.log(x / m) for x in (p_out, q_out) if x > 0)
    kp, kq = ((x * math.log(2.0 * x / m) if x > 0 else 0.0) for x in (p_out, q_out))
    return 0.5 * (v + m * math.log(2.0)), v, kp, kq


def compute_theory(target, fake: np.ndarray, grid: Grid | Grid1D, h: float | None = None,
                   d_prob: np.ndarray | None = None) -> TheoryFields:
    """Evaluate p_data, p_g, D*, JSD, both KLs and V on `grid`.

    fake: generated samples (N, grid.dim) (numpy, or a torch tensor). h: KDE bandwidth, None for
    auto_bandwidth. d_prob: D(x) as a probability at grid.points(), shape grid.shape (or flat), or None
    when the loss has no probability reading (then v_estimate is NaN). A 1-D grid wants a 1-D target.
    """
    if getattr(target, "dim", 2) != grid.dim:
        raise ValueError(f"a {getattr(target, 'dim', 2)}-D target on a {grid.dim}-D grid")
    h = auto_bandwidth(target, grid) if h is None else _check_h(h)
    log_pd, p = _p_data_fields(target, grid, h)
    dens, n_in, n_total = _kde_density(_as_numpy(fake, grid.dim), grid, h)
    # Both densities are floored at 1e-300 (normal float64 numbers), so p + q neither underflows nor
    # overflows and log(p + q) equals logaddexp(log p, log q) to rounding, at a third of the cost.
    q = np.maximum(dens, 1e-300, out=dens)
    log_pg = np.log(q)
    pq = p + q
    lse = np.log(pq)
    log_d = log_pd - lse  # log D*
    log_1md = log_pg - lse  # log(1 - D*)
    area = grid.cell_area
    j, v_star = _jsd_terms(p, q, log_d, log_1md, area)
    # KL(p || M) = int p log(2 p / (p + q)) = log 2 int p + int p log D*: formula (14)'s two terms.
    kl_pm = (_dot(p, log_d) + LOG2 * float(p.sum())) * area
    kl_qm = (_dot(q, log_1md) + LOG2 * float(q.sum())) * area
    # Mass off the grid (generated points that flew away, kernel tails at the border) counts as
    # one more bin: otherwise a generator that throws half its samples outside would read half
    # its true JSD. Lumping the outside into one bin keeps the estimate a lower bound, and keeps
    # V(G, D*) = -log 4 + 2 JSD exact.
    j_out, v_out, kp_out, kq_out = _outside_bin(1.0 - float(p.sum()) * area, 1.0 - float(q.sum()) * area)
    j, v_star = j + j_out, v_star + v_out
    kl_pm, kl_qm = max(kl_pm + kp_out, 0.0), max(kl_qm + kq_out, 0.0)
    diff = log_pd - log_pg
    dstar = (p / pq).astype(np.float32)
    dstar[lse < lse.max() + LOG_DSTAR_MASK] = np.nan
    v_est = float("nan")
    if d_prob is not None:
        v_est = _value(d_prob, p, q, area)
    return TheoryFields(
        grid=grid,
        bandwidth=h,
        log_p_data=log_pd,
        log_p_g=log_pg,
        dstar=dstar,
        jsd=j,
        kl_pdata_pg=max(_dot(p, diff) * area, 0.0),
        kl_pg_pdata=max(-_dot(q, diff) * area, 0.0),
        v_at_dstar=v_star,
        v_estimate=v_est,
        pg_mass_in_grid=(n_in / n_total) if n_total else 0.0,
        kl_pdata_m=kl_pm,
        kl_pg_m=kl_qm,
    )
