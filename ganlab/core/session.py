"""Save and load a whole training session as one file, without ever executing code from it.

A session file (`.ganlab`) is a zip archive holding
- `session.json`: the metadata (format name and version, ganlab and torch versions, the config as
  TOML text, the target mixture with its dragged and added modes, the iteration, the seed, the freeze
  flags, and where each optimizer state lives among the arrays);
- `arrays/<name>.npy`: plain numeric numpy arrays: every parameter and buffer of G and D by name
  (`G/net.0.weight`), the optimizers' states (`opt_g/0/exp_avg`), the states of the trainer's two
  random generators as uint8 arrays, and the losses and metrics histories.

Loading never unpickles (`allow_pickle=False`, no torch.load) and checks everything before it
changes anything: the format name and version, every expected entry, array shapes against networks
built from the stored config, finite weights. `load_session` builds a complete, validated
SessionData; `apply_session` prepares every new object first and only then swaps them into the
trainer, so a bad file leaves the current session exactly as it was.

Determinism: before saving, the trainer's buffered blocks of pre-drawn batches are dropped (they are
redrawn from the saved generator states), so a saved and reloaded run continues with exactly the
losses the original produces after the save.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import torch

from .. import __version__
from .config import Config, ConfigError
from .files import write_atomic
from .networks import Discriminator, Generator
from .observer import Observer
from .snapshot import METRIC_COLUMNS, METRIC_COLUMNS_V1, METRIC_COLUMNS_V2
from .target import GaussianMixture, TargetError
from .trainer import LOSS_COLUMNS, Trainer

FORMAT_NAME = "ganlab-session"
FORMAT_VERSION = 1
SUFFIX = ".ganlab"
META_NAME = "session.json"
ARRAY_DIR = "arrays/"

MAX_META_BYTES = 16 * 2**20
MAX_HISTORY_BYTES = 2**30
MAX_RNG_BYTES = 2**16
NPY_HEADER_ALLOWANCE = 4096
MAX_ITERATION = 2**53

# Optimizer state entries this ganlab writes, per optimizer; "step" is a scalar, the rest have the
# parameter's shape. Anything else in a file is refused.
OPTIMIZER_STATE_KEYS = {"adam": {"step", "exp_avg", "exp_avg_sq"}, "sgd": {"momentum_buffer"}}


class SessionError(ValueError):
    """A session that cannot be saved or loaded; the message says what is wrong, in plain words."""


@dataclass(frozen=True, eq=False)
class SessionData:
    """A complete, validated session read from a file (CPU tensors and numpy arrays, nothing applied)."""

    path: str
    config: Config
    target: GaussianMixture
    iteration: int
    freeze_g: bool
    freeze_d: bool
    g_state: dict[str, torch.Tensor]
    d_state: dict[str, torch.Tensor]
    opt_g_state: dict[int, dict]          # optimizer "state" part: {param index: {key: tensor or value}}
    opt_d_state: dict[int, dict]
    rng_state: torch.Tensor               # uint8 state of the trainer's data generator (CPU)
    noise_rng_state: torch.Tensor         # uint8 state of the noise generator
    noise_rng_device: str                 # device type the noise generator ran on ("cpu", "cuda")
    losses: np.ndarray                    # (n, len(LOSS_COLUMNS))
    metrics: np.ndarray                   # (m, len(METRIC_COLUMNS))
    events: tuple[dict, ...] = ()         # the curves' marks (events.Event.to_dict()); older files have none
    ganlab_version: str = ""
    created: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def seed(self) -> int:
        return self.config.train.seed


# ====================================================================== save
def save_session(path: str | Path, trainer: Trainer, observer: Observer | None = None) -> None:
    """Write the trainer's whole state (and the observer's metrics) to `path`, atomically.

    Call it between training steps (the app's worker does). Raises SessionError when the state
    cannot be saved (diverged weights) or the file cannot be written; a failed write leaves no
    partial file and an existing file at `path` as it was.
    """
    path = Path(path)
    if not trainer.state_finite():
        raise SessionError("the networks hold NaN or infinite weights (training diverged): reset or load "
                           "another session before saving")
    trainer.drop_prefetched()  # a file holds no pre-drawn batches: both runs redraw them from the saved states
    state = trainer.state_dict()
    cfg = state["config"]
    arrays: dict[str, np.ndarray] = {}
    for prefix in ("G", "D"):
        for key, value in state[prefix].items():
            arrays[f"{prefix}/{key}"] = _to_numpy(value)
    optimizers = {}
    for name, oc in (("opt_g", cfg.opt_g), ("opt_d", cfg.opt_d)):
        entries: dict[str, dict] = {}
        for idx, opt_state in state[name].items():
            entry = {}
            for key, value in opt_state.items():
                if torch.is_tensor(value):
                    arr_name = f"{name}/{idx}/{key}"
                    arrays[arr_name] = _to_numpy(value)
                    entry[key] = {"array": arr_name}
                elif value is None or (isinstance(value, (int, float)) and math.isfinite(value)):
                    entry[key] = {"value": value}
                else:
                    raise SessionError(f"cannot save the {name} state {key!r} ({type(value).__name__})")
            entries[str(idx)] = entry
        optimizers[name] = {"name": oc.name, "state": entries}
    for name, arr in arrays.items():
        if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
            raise SessionError(f"{name} holds NaN or infinite values (training diverged): reset before saving")
    arrays["rng/data"] = _to_numpy(state["rng"])
    arrays["rng/noise"] = _to_numpy(state["noise_rng"])
    arrays["history/losses"] = state["losses"]
    metrics = observer.metrics if observer is not None else None
    arrays["history/metrics"] = (metrics.array() if metrics is not None
                                 else np.zeros((0, len(METRIC_COLUMNS))))
    meta = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "ganlab_version": __version__,
        "torch_version": torch.__version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "config_toml": cfg.to_toml(),
        "target": state["target"].to_dict(),
        "iteration": state["iteration"],
        "seed": int(cfg.train.seed),
        "freeze_g": state["freeze_g"],
        "freeze_d": state["freeze_d"],
        "device": str(trainer.device),
        "optimizers": optimizers,
        "rng": {"data": "rng/data", "noise": "rng/noise", "noise_device": state["noise_rng_device"]},
        "history": {"losses": {"array": "history/losses", "columns": list(LOSS_COLUMNS)},
                    "metrics": {"array": "history/metrics", "columns": list(METRIC_COLUMNS)}},
        "events": observer.events.to_list() if observer is not None else [],
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(META_NAME, json.dumps(meta, indent=1, allow_nan=False))
        for name, arr in arrays.items():
            with zf.open(ARRAY_DIR + name + ".npy", "w", force_zip64=True) as f:
                np.lib.format.write_array(f, arr, allow_pickle=False)
    try:
        write_atomic(path, buf.getvalue())
    except OSError as e:
        raise SessionError(f"cannot write {path}: {e.strerror or e}") from None


def _to_numpy(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy().copy()


# ====================================================================== load
def load_session(path: str | Path) -> SessionData:
    """Read and validate a session file; raises SessionError naming the problem. Changes nothing."""
    path = Path(path)
    try:
        if path.is_dir():
            raise SessionError(f"{path} is a folder, not a session file")
        size = path.stat().st_size
    except OSError as e:
        raise SessionError(f"cannot read {path}: {e.strerror or e}") from None
    if size == 0:
        raise SessionError(f"{path.name} is empty (0 bytes): not a ganlab session")
    try:
        with zipfile.ZipFile(path) as zf:
            return _read(zf, path)
    except SessionError:
        raise
    except zipfile.BadZipFile as e:
        raise SessionError(f"{path.name} is not a ganlab session: not a zip archive, or a damaged or truncated "
                           f"one ({e})") from None
    except OSError as e:
        raise SessionError(f"cannot read {path}: {e.strerror or e}") from None
    except (zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError) as e:
        raise SessionError(f"{path.name} is damaged: {e}") from None


def _read(zf: zipfile.ZipFile, path: Path) -> SessionData:
    where = path.name
    if META_NAME not in zf.namelist():
        raise SessionError(f"{where} is not a ganlab session: the archive has no {META_NAME} (a zip or npz "
                           f"file of another kind)")
    raw = _member(zf, META_NAME, MAX_META_BYTES)
    try:
        meta = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as e:
        raise SessionError(f"{where}: {META_NAME} is not valid JSON ({e})") from None
    if not isinstance(meta, dict):
        raise SessionError(f"{where}: {META_NAME} must hold a JSON object")
    if meta.get("format") != FORMAT_NAME:
        raise SessionError(f"{where} is not a ganlab session: its format is {meta.get('format')!r}, "
                           f"expected {FORMAT_NAME!r}")
    version = meta.get("format_version")
    if not _is_int(version):
        raise SessionError(f"{where}: format_version is missing or not a whole number")
    if version > FORMAT_VERSION:
        raise SessionError(f"{where} was written by a newer ganlab ({meta.get('ganlab_version', '?')}, session "
                           f"format version {version}); this ganlab {__version__} reads version {FORMAT_VERSION}")
    if version != FORMAT_VERSION:
        raise SessionError(f"{where}: unsupported session format version {version}; this ganlab reads "
                           f"version {FORMAT_VERSION}")
    warnings: list[str] = []

    # ---------------------------------------------------------------- config and target
    text = _get(meta, "config_toml", str, where)
    try:
        import tomllib

        config = Config.from_dict(tomllib.loads(text))
    except ConfigError as e:
        raise SessionError(f"{where}: the stored configuration is invalid: {e}") from None
    except ValueError as e:  # tomllib.TOMLDecodeError
        raise SessionError(f"{where}: the stored configuration is not valid TOML: {e}") from None
    if config.train.device == "cuda" and not torch.cuda.is_available():
        config = config.with_value("train.device", "auto")
        warnings.append("the session was trained on CUDA, which is not available here: it continues on the CPU")
    target_dict = _get(meta, "target", dict, where)
    try:
        target = GaussianMixture.from_dict(target_dict)
    except TargetError as e:
        raise SessionError(f"{where}: the stored target is invalid: {e}") from None
    iteration = _get(meta, "iteration", int, where)
    if not 0 <= iteration <= MAX_ITERATION:
        raise SessionError(f"{where}: iteration {iteration} is out of range")
    freeze_g = _get(meta, "freeze_g", bool, where)
    freeze_d = _get(meta, "freeze_d", bool, where)

    # ---------------------------------------------------------------- networks
    with torch.device("meta"):  # shapes only: no memory, no random numbers drawn
        g_ref = Generator(config.noise.dim, config.generator, target.dim)
        d_ref = Discriminator(config.discriminator, target.dim)
    g_state = _net_state(zf, "G", g_ref, where)
    d_state = _net_state(zf, "D", d_ref, where)

    # ---------------------------------------------------------------- optimizers
    optimizers = _get(meta, "optimizers", dict, where)
    opt_states = []
    for name, oc, ref in (("opt_g", config.opt_g, g_ref), ("opt_d", config.opt_d, d_ref)):
        opt_states.append(_optimizer_state(zf, optimizers, name, oc.name, ref, where))

    # ---------------------------------------------------------------- random generators
    rng = _get(meta, "rng", dict, where)
    rng_arr = _array(zf, _get(rng, "data", str, where, "rng"), where, kinds="u", limit=MAX_RNG_BYTES,
                     label="random-generator state: ")
    noise_arr = _array(zf, _get(rng, "noise", str, where, "rng"), where, kinds="u", limit=MAX_RNG_BYTES,
                       label="random-generator state: ")
    noise_device = _get(rng, "noise_device", str, where, "rng")
    for label, arr in (("rng/data", rng_arr), ("rng/noise", noise_arr)):
        if arr.ndim != 1 or arr.dtype != np.uint8:
            raise SessionError(f"{where}: {label} must be a 1-D uint8 array, got {arr.dtype} {arr.shape}")
    rng_state = torch.from_numpy(rng_arr.copy())
    noise_state = torch.from_numpy(noise_arr.copy())
    try:
        torch.Generator(device="cpu").set_state(rng_state)
        if noise_device == "cpu":
            torch.Generator(device="cpu").set_state(noise_state)
    except RuntimeError as e:
        raise SessionError(f"{where}: a stored random-generator state is invalid: {e}") from None

    # ---------------------------------------------------------------- histories
    history = _get(meta, "history", dict, where)
    hist = {}
    for name, columns in (("losses", LOSS_COLUMNS), ("metrics", METRIC_COLUMNS)):
        entry = _get(history, name, dict, where, "history")
        stored_cols = tuple(_get(entry, "columns", list, where, f"history.{name}"))
        # saved before v_samples, v_stderr, w1 (V1) or before n_modes (V2)
        older = name == "metrics" and stored_cols in (METRIC_COLUMNS_V1, METRIC_COLUMNS_V2)
        if stored_cols != tuple(columns) and not older:
            raise SessionError(f"{where}: the {name} history has columns {list(stored_cols)}, "
                               f"expected {list(columns)}")
        arr = _array(zf, _get(entry, "array", str, where, f"history.{name}"), where, kinds="fiu",
                     limit=MAX_HISTORY_BYTES, finite=False)
        if arr.ndim != 2 or arr.shape[1] != len(stored_cols):
            raise SessionError(f"{where}: the {name} history has shape {arr.shape}, "
                               f"expected (rows, {len(stored_cols)})")
        arr = np.asarray(arr, dtype=np.float64)
        if older:   # the new columns were not measured then
            arr = np.hstack([arr, np.full((len(arr), len(columns) - len(stored_cols)), np.nan)])
        if not np.all(np.isfinite(arr[:, 0])):
            raise SessionError(f"{where}: the {name} history has a step that is not a finite number")
        hist[name] = arr
    events = _events(meta.get("events", []), where)

    return SessionData(
        path=str(path), config=config, target=target, iteration=iteration, freeze_g=freeze_g, freeze_d=freeze_d,
        g_state=g_state, d_state=d_state, opt_g_state=opt_states[0], opt_d_state=opt_states[1],
        rng_state=rng_state, noise_rng_state=noise_state, noise_rng_device=noise_device,
        losses=hist["losses"], metrics=hist["metrics"], events=events,
        ganlab_version=str(meta.get("ganlab_version", "")), created=str(meta.get("created", "")),
        warnings=tuple(warnings))


def _events(rows, where: str) -> tuple[dict, ...]:
    """The stored marks of settings changes: a list of small dicts of plain values (core/events.py)."""
    if not isinstance(rows, list) or len(rows) > 10_000:
        raise SessionError(f"{where}: 'events' must be a list of at most 10,000 entries")
    out = []
    for r in rows:
        ok = (isinstance(r, dict) and _is_int(r.get("iteration")) and r["iteration"] >= 0
              and all(isinstance(r.get(k, ""), str) and len(r.get(k, "")) <= 200
                      for k in ("key", "before", "after", "subject")) and r.get("key"))
        if not ok:
            raise SessionError(f"{where}: an entry of 'events' is not an event: {str(r)[:80]}")
        out.append({k: r[k] for k in ("iteration", "key", "before", "after", "subject") if k in r})
    return tuple(out)


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed in a session file")


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _get(d: dict, key: str, kind: type, where: str, section: str = ""):
    label = f"{section}.{key}" if section else key
    if key not in d:
        raise SessionError(f"{where}: the metadata has no '{label}'")
    v = d[key]
    ok = _is_int(v) if kind is int else isinstance(v, kind)
    if not ok:
        raise SessionError(f"{where}: '{label}' must be {_KIND_NAMES[kind]}, got {type(v).__name__}")
    return v


_KIND_NAMES = {int: "a whole number", bool: "true or false", str: "text", dict: "an object", list: "a list"}


def _member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """One archive entry's bytes, refusing entries larger than `limit` before reading them."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise SessionError(f"the session has no entry {name} (the file is incomplete or damaged)") from None
    if info.file_size > limit:
        raise SessionError(f"entry {name} is too large ({info.file_size:,} bytes, at most {limit:,} expected)")
    try:
        return zf.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as e:
        raise SessionError(f"entry {name} is damaged: {e}") from None


def _array(zf: zipfile.ZipFile, name: str, where: str, kinds: str = "f", limit: int = MAX_HISTORY_BYTES,
           shape: tuple | None = None, finite: bool = True, label: str = "") -> np.ndarray:
    """A plain numeric array from `arrays/<name>.npy`: never unpickled, dtype, shape and values checked."""
    where = f"{where}: {label}".rstrip(": ") if label else where
    if not name or ".." in name or name.startswith("/"):
        raise SessionError(f"{where}: bad array name {name!r}")
    data = _member(zf, ARRAY_DIR + name + ".npy", limit)
    try:
        arr = np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
    except ValueError as e:
        if "pickle" in str(e).lower() or "object" in str(e).lower():
            raise SessionError(f"{where}: {name} is not a plain number array (it holds Python objects or a "
                               f"pickle, which ganlab never loads)") from None
        raise SessionError(f"{where}: {name} is not a valid .npy array: {e}") from None
    except (EOFError, OSError) as e:
        raise SessionError(f"{where}: {name} is truncated: {e}") from None
    except MemoryError:  # a crafted header declaring a huge shape: numpy allocates it before reading
        raise SessionError(f"{where}: {name} declares an array far larger than the data it holds") from None
    if not isinstance(arr, np.ndarray) or arr.dtype.kind not in kinds or arr.dtype.fields is not None:
        raise SessionError(f"{where}: {name} has type {getattr(arr, 'dtype', type(arr))}, expected "
                           f"{'numbers' if 'f' in kinds else 'bytes'}")
    if shape is not None and tuple(arr.shape) != tuple(shape):
        raise SessionError(f"{where}: {name} has shape {tuple(arr.shape)}, but the networks of the stored "
                           f"configuration need {tuple(shape)}")
    if finite and arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        raise SessionError(f"{where}: {name} holds NaN or infinite values")
    return arr


def _net_state(zf: zipfile.ZipFile, prefix: str, ref: torch.nn.Module, where: str) -> dict[str, torch.Tensor]:
    out = {}
    for key, t in ref.state_dict().items():
        limit = t.numel() * 8 + NPY_HEADER_ALLOWANCE
        arr = _array(zf, f"{prefix}/{key}", where, kinds="f", limit=limit, shape=tuple(t.shape))
        out[key] = torch.from_numpy(np.array(arr, dtype=np.float32, order="C"))
    return out


def _optimizer_state(zf, optimizers: dict, name: str, opt_name: str, ref: torch.nn.Module, where: str) -> dict:
    entry = _get(optimizers, name, dict, where, "optimizers")
    stored = entry.get("name")
    if stored != opt_name:
        raise SessionError(f"{where}: {name} was saved for optimizer {stored!r}, but the configuration says "
                           f"{opt_name!r}")
    states = _get(entry, "state", dict, where, f"optimizers.{name}")
    params = list(ref.parameters())
    allowed = OPTIMIZER_STATE_KEYS[opt_name]
    out: dict[int, dict] = {}
    for idx_text, values in states.items():
        if not (isinstance(idx_text, str) and idx_text.isdigit() and int(idx_text) < len(params)):
            raise SessionError(f"{where}: {name} has state for parameter {idx_text!r}; the network has "
                               f"parameters 0..{len(params) - 1}")
        if not isinstance(values, dict):
            raise SessionError(f"{where}: {name} state {idx_text} must be an object")
        idx = int(idx_text)
        p = params[idx]
        state = {}
        for key, spec in values.items():
            if key not in allowed:
                raise SessionError(f"{where}: {name} state {idx} has an unknown entry {key!r} (a {opt_name} "
                                   f"optimizer has {', '.join(sorted(allowed))})")
            if not isinstance(spec, dict) or len(spec) != 1 or not ({"array", "value"} & spec.keys()):
                raise SessionError(f"{where}: {name} state {idx}.{key} is malformed")
            if "value" in spec:
                v = spec["value"]
                if v is not None and not (isinstance(v, (int, float)) and not isinstance(v, bool)
                                          and math.isfinite(v)):
                    raise SessionError(f"{where}: {name} state {idx}.{key} must be a finite number or null")
                state[key] = v
                continue
            shape = () if key == "step" else tuple(p.shape)
            limit = max(1, math.prod(shape)) * 8 + NPY_HEADER_ALLOWANCE
            arr = _array(zf, spec["array"] if isinstance(spec["array"], str) else "", where, kinds="fiu",
                         limit=limit, shape=shape)
            if key == "step" and float(arr) < 0:
                raise SessionError(f"{where}: {name} state {idx}.step is negative")
            state[key] = torch.from_numpy(np.array(arr, dtype=np.float32, order="C"))
        out[idx] = state
    return out


# ===================================================================== apply
def apply_session(trainer: Trainer, observer: Observer | None, data: SessionData) -> None:
    """Make `trainer` (and `observer`) continue the loaded session.

    The trainer builds and loads every new object first and only then swaps them in, so a SessionError
    leaves the trainer and observer exactly as they were. Call between steps.
    """
    state = {
        "config": data.config, "target": data.target, "G": data.g_state, "D": data.d_state,
        "opt_g": data.opt_g_state, "opt_d": data.opt_d_state, "rng": data.rng_state,
        "noise_rng": data.noise_rng_state, "noise_rng_device": data.noise_rng_device,
        "iteration": data.iteration, "freeze_g": data.freeze_g, "freeze_d": data.freeze_d, "losses": data.losses,
    }
    try:
        trainer.load_state_dict(state)
    except Exception as e:
        raise SessionError(f"the session does not fit this ganlab: {e}") from None
    if observer is not None:
        observer.clear()
        observer.metrics.load(data.metrics)
        observer.events.load(data.events)
        # The fixed display samples follow the seed, as in a fresh Observer for this config.
        observer.reseed(data.config.train.seed)
        observer.target_changed(structural=True)
