"""The app's state, with one owner: the config in force and the one asked for, freezes, layers, language.

Qt-free (plain callbacks, no signals) so that it can be tested and reasoned about without a window, as
napari's ViewerModel or TensorFlow Playground's State. The window applies every change through it, and
the controls, the menus and the settings read it; nothing else keeps a copy of the config.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Layers:
    """What the field draws. push and manifold also cost the worker work, so it hears of them too."""

    heatmap: bool = True
    real: bool = True
    fake: bool = True
    push: bool = False
    manifold: bool = False

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def with_layer(self, name: str, on: bool) -> Layers:
        return replace(self, **{name: bool(on)})
