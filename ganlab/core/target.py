"""The target distribution: every preset is an isotropic Gaussian mixture, on a line (1-D) or a plane (2-D).

One representation keeps sampling, the exact density (for D* and JSD) and the editing
operations the app needs (drag, add, remove, resize a mode) in one place. Mixtures are
immutable: an edit returns a new mixture, so a snapshot handed to another thread never
changes under it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch is imported where it is used: the app shows its window before torch loads
    import torch

import numpy as np

MAX_MODES = 512
MIN_STD = 1e-3
MAX_STD = 10.0
MAX_ABS_COORD = 1e3
LOG_2PI = math.log(2.0 * math.pi)


class TargetError(ValueError):
    """A target edit or construction that would make an invalid mixture."""


@dataclass(frozen=True, eq=False)
class GaussianMixture:
    """Mixture of K isotropic Gaussians in `dim` = 1 or 2 dimensions (read from the means' shape).

    means: (K, dim); stds: (K,) per-mode standard deviation; weights: (K,) normalised to sum 1. A flat
    (2,) is one 2-D mode (as before 1-D existed); a 1-D target needs its means as (K, 1) rows, or (1,).
    Points given to the editing methods are `dim` numbers; in 1-D an (x, y) pair is also accepted and its
    y ignored, so a view may pass a plot's scene position as is.
    """

    means: np.ndarray
    stds: np.ndarray
    weights: np.ndarray

    def __init__(self, means, stds, weights=None):
        try:
            means = np.array(means, dtype=np.float64)
        except (TypeError, ValueError):
            raise TargetError("mode centres must be a list of (x, y) number pairs or of [x] rows") from None
        if means.size == 0:
            raise TargetError("a target needs at least one mode")
        if means.ndim == 1 and means.shape[0] in (1, 2):
            means = means.reshape(1, -1)
        if means.ndim != 2 or means.shape[1] not in (1, 2):
            # reshape(-1, 2) would silently turn e.g. two (x, y, z) rows into three modes
            raise TargetError(f"mode centres must be (x, y) pairs (2-D) or [x] rows (1-D), got an array of shape "
                              f"{means.shape}")
        k = len(means)
        if k > MAX_MODES:
            raise TargetError(f"a target has at most {MAX_MODES} modes, got {k}")
        if not np.all(np.isfinite(means)) or np.any(np.abs(means) > MAX_ABS_COORD):
            raise TargetError(f"mode centres must be finite and within +-{MAX_ABS_COORD:g}")
        stds = _per_mode("stds", stds, k)
        if not np.all(np.isfinite(stds)) or np.any(stds < MIN_STD) or np.any(stds > MAX_STD):
            raise TargetError(f"mode std must be in [{MIN_STD:g}, {MAX_STD:g}]")
        if weights is None:
            weights = np.ones(k)
        weights = _per_mode("weights", weights, k)
        if not np.all(np.isfinite(weights)) or np.any(weights <= 0):
            raise TargetError("mode weights must be finite and > 0")
        weights = weights / weights.sum()
        for name, arr in (("means", means), ("stds", stds), ("weights", weights)):
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    # ------------------------------------------------------------------ basics
    @property
    def n_modes(self) -> int:
        return len(self.means)

    @property
    def dim(self) -> int:
        """1 for a target on a line, 2 for one on the plane."""
        return int(self.means.shape[1])

    @property
    def min_std(self) -> float:
        return float(self.stds.min())

    def bounds(self, n_sigmas: float = 4.0) -> tuple[float, float, float, float]:
        """Axis-aligned box holding every mode out to n_sigmas: (xmin, xmax, ymin, ymax).

        In 1-D the box is the interval on the x axis: ymin = ymax = 0.0 (the line the 1-D world lies on).
        """
        lo = (self.means - n_sigmas * self.stds[:, None]).min(axis=0)
        hi = (self.means + n_sigmas * self.stds[:, None]).max(axis=0)
        if self.dim == 1:
            return float(lo[0]), float(hi[0]), 0.0, 0.0
        return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])

    def point(self, xy) -> np.ndarray:
        """A point as `dim` float64 numbers (see the class docstring: in 1-D, (x, y) gives x)."""
        try:
            p = np.array(xy, dtype=np.float64).ravel()
        except (TypeError, ValueError):
            raise TargetError(f"a point must be {self.dim} number(s), got {xy!r}") from None
        if self.dim == 1 and p.size == 2:
            p = p[:1]
        if p.size != self.dim:
            raise TargetError(f"a point in this {self.dim}-D target must be {self.dim} number(s), got {p.size}")
        return p

    # ---------------------------------------------------------------- sampling
    def sample(self, n: int, generator: torch.Generator | None = None,
               device: torch.device | str = "cpu") -> torch.Tensor:
        """Exact samples as a float32 (n, dim) tensor on `device` (drawn on the CPU for determinism)."""
        import torch

        w, mu, sd = self._torch()
        idx = torch.multinomial(w, n, replacement=True, generator=generator)
        eps = torch.randn(n, self.dim, generator=generator)
        return torch.addcmul(mu[idx], sd[idx], eps).to(device=device)

    def _torch(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        cached = self.__dict__.get("_torch_cache")
        if cached is None:
            import torch

            cached = (torch.tensor(self.weights), torch.tensor(self.means, dtype=torch.float32),
                      torch.tensor(self.stds, dtype=torch.float32)[:, None])
            object.__setattr__(self, "_torch_cache", cached)
        return cached

    def sample_numpy(self, n: int, rng: np.random.Generator) -> np.ndarray:
        idx = rng.choice(self.n_modes, size=n, p=self.weights)
        return self.means[idx] + self.stds[idx, None] * rng.standard_normal((n, self.dim))

    # ----------------------------------------------------------------- density
    def log_prob(self, x: np.ndarray, extra_var: float = 0.0) -> np.ndarray:
        """Exact log density at points x (N, dim); extra_var adds h^2 to every mode's variance.

        Adding h^2 is the exact density of p_data convolved with a Gaussian kernel of std h,
        which is how the theory module smooths p_data with the same kernel as its KDE of p_g.
        """
        x = np.asarray(x, dtype=np.float64).reshape(-1, self.dim)
        var = self.stds**2 + extra_var  # (K,)
        # Chunk over points so a 512^2 grid with hundreds of modes stays in memory.
        out = np.empty(len(x))
        log_w = np.log(self.weights) - 0.5 * self.dim * (LOG_2PI + np.log(var))
        step = max(1, 2_000_000 // self.n_modes)
        for s in range(0, len(x), step):
            xs = x[s:s + step]
            d2 = ((xs[:, None, :] - self.means[None, :, :]) ** 2).sum(-1)  # (n, K)
            out[s:s + step] = _logsumexp(log_w[None, :] - 0.5 * d2 / var[None, :], axis=1)
        return out

    def log_prob_torch(self, x: torch.Tensor) -> torch.Tensor:
        import torch

        # torch.tensor copies: as_tensor would alias the read-only means (a torch warning, and a
        # tensor that could write into the immutable mixture).
        mu = torch.tensor(self.means, dtype=x.dtype, device=x.device)
        var = torch.tensor(self.stds**2, dtype=x.dtype, device=x.device)
        log_w = torch.tensor(np.log(self.weights), dtype=x.dtype, device=x.device)
        d2 = ((x[:, None, :] - mu[None]) ** 2).sum(-1)
        half_d = 0.5 * self.dim
        return torch.logsumexp(log_w - half_d * (LOG_2PI + torch.log(var)) - 0.5 * d2 / var, dim=1)

    def smoothed(self, h: float) -> GaussianMixture:
        """p_data convolved with an isotropic Gaussian kernel of std h."""
        return GaussianMixture(self.means, np.sqrt(self.stds**2 + h * h), self.weights)

    # ----------------------------------------------------------------- editing
    def _check_index(self, i: int) -> None:
        if not 0 <= i < self.n_modes:
            raise TargetError(f"mode index {i} out of range 0..{self.n_modes - 1}")

    def moved(self, i: int, xy) -> GaussianMixture:
        self._check_index(i)
        means = self.means.copy()
        means[i] = self.point(xy)
        return GaussianMixture(means, self.stds, self.weights)

    def with_mode(self, xy, std: float | None = None, weight: float | None = None) -> GaussianMixture:
        """Add a mode; std defaults to the median std, weight to the mean weight (before renormalising)."""
        std = float(np.median(self.stds)) if std is None else std
        weight = float(self.weights.mean()) if weight is None else weight
        return GaussianMixture(np.vstack([self.means, self.point(xy).reshape(1, self.dim)]),
                               np.append(self.stds, std), np.append(self.weights, weight))

    def without_mode(self, i: int) -> GaussianMixture:
        self._check_index(i)
        if self.n_modes == 1:
            raise TargetError("cannot remove the last mode: a target needs at least one")
        keep = np.arange(self.n_modes) != i
        return GaussianMixture(self.means[keep], self.stds[keep], self.weights[keep])

    def with_std(self, i: int, std: float) -> GaussianMixture:
        self._check_index(i)
        stds = self.stds.copy()
        stds[i] = std
        return GaussianMixture(self.means, stds, self.weights)

    def with_weight(self, i: int, weight: float) -> GaussianMixture:
        self._check_index(i)
        w = self.weights.copy()
        w[i] = weight
        return GaussianMixture(self.means, self.stds, w)

    def nearest_mode(self, xy) -> tuple[int, float]:
        """Index of the mode centre nearest to xy and its Euclidean distance."""
        d = np.linalg.norm(self.means - self.point(xy), axis=1)
        i = int(d.argmin())
        return i, float(d[i])

    # --------------------------------------------------------------- persistence
    def to_dict(self) -> dict:
        return {"means": self.means.tolist(), "stds": self.stds.tolist(), "weights": self.weights.tolist()}

    @classmethod
    def from_dict(cls, d: dict) -> GaussianMixture:
        try:
            return cls(d["means"], d["stds"], d.get("weights"))
        except (KeyError, TypeError) as e:
            raise TargetError(f"target data is malformed: {e}") from None

    def __eq__(self, other) -> bool:
        return (isinstance(other, GaussianMixture) and self.n_modes == other.n_modes
                and np.array_equal(self.means, other.means) and np.array_equal(self.stds, other.stds)
                and np.allclose(self.weights, other.weights))

    def __repr__(self) -> str:
        dim = "" if self.dim == 2 else f", dim={self.dim}"
        return f"GaussianMixture(K={self.n_modes}{dim}, min_std={self.min_std:.3g})"


def _per_mode(name: str, values, k: int) -> np.ndarray:
    """One value per mode (a scalar applies to all), as a fresh float64 array; TargetError otherwise."""
    try:
        return np.broadcast_to(np.array(values, dtype=np.float64), (k,)).copy()
    except (TypeError, ValueError):
        raise TargetError(f"{name} must be one number or one number per mode ({k} modes)") from None


def _logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    m = a.max(axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return (m + np.log(np.exp(a - m).sum(axis=axis, keepdims=True))).squeeze(axis)
