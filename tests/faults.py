"""Bad files and failing disks, for the reliability tests of the core (tests/) and of the app (tests/app/).

tests/conftest.py puts this folder on the import path of both.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np


def raise_oserror(err: int) -> Callable:
    """A stand-in for os.replace, os.fsync, ... that fails with errno `err` (a full disk, a read-only folder)."""
    def f(*a, **k):
        raise OSError(err, os.strerror(err))
    return f


class Evil:
    """Unpickling it creates the file `marker`: a session file that carries one must never be unpickled."""

    def __init__(self, marker) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def evil_npy(marker) -> bytes:
    """A .npy file of an object array holding an Evil: np.load(allow_pickle=True) would create `marker`."""
    buf = io.BytesIO()
    np.save(buf, np.array([Evil(marker)], dtype=object), allow_pickle=True)
    return buf.getvalue()


def rewrite_zip(src: Path, dst: Path, replace: dict[str, bytes]) -> Path:
    """A copy of the zip file `src` (a session) with the entries named in `replace` replaced."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
    return dst
