"""A small TOML writer (tomllib only reads).

The config is two levels of scalars, so a full TOML library is not worth a dependency.
"""

from __future__ import annotations

import math

# TOML basic strings: backslash and quote escaped, and every control character (a raw one is invalid).
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return '"' + "".join(_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else c)
                             for c in v) + '"'
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_scalar(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def dumps(data: dict) -> str:
    """Top-level scalars first, then one [table] per dict; None values are left out (TOML has no null)."""
    lines = [f"{k} = {_scalar(v)}" for k, v in data.items() if not isinstance(v, dict) and v is not None]
    for k, v in data.items():
        if isinstance(v, dict):
            lines.append("")
            lines.append(f"[{k}]")
            lines += [f"{kk} = {_scalar(vv)}" for kk, vv in v.items() if vv is not None]
    return "\n".join(lines) + "\n"
