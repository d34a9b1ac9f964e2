"""What the window asks of a view: the one interface through which snapshots reach the screen.

The window, the presenter mode, export and the offscreen figures hold views only through this Protocol,
so none of them needs to know a view's class or probe its attributes.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ...core.snapshot import Snapshot


@runtime_checkable
class SnapshotView(Protocol):
    def update_snapshot(self, snap: Snapshot) -> None:
        """Draw this frame (views skip what has not changed since the last one)."""

    def clear(self) -> None:
        """Forget what was drawn: the next snapshot starts a new run (a reset, a loaded session)."""

    def set_scale(self, scale: float) -> None:
        """Markers, line widths and fonts at `scale` times their normal size (presenter mode)."""

    def scale(self) -> float:
        """The scale set last (1.0 unless presenter mode changed it)."""
