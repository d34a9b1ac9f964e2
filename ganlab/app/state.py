"""The app's state, with one owner: the config in force and the one asked for, freezes, layers, language.

Qt-free (plain callbacks, no signals) so that it can be tested and reasoned about without a window, as
napari's ViewerModel or TensorFlow Playground's State. The window applies every change through it, and
the controls, the menus and the settings read it; nothing else keeps a copy of the config.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from ..core.config import Config


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


class Event:
    """A list of callbacks: enough for change notifications without Qt (the state must not need Qt)."""

    def __init__(self) -> None:
        self._callbacks: list[Callable] = []

    def connect(self, callback: Callable) -> None:
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable) -> None:
        self._callbacks.remove(callback)

    def emit(self, *args) -> None:
        for cb in list(self._callbacks):
            cb(*args)


class AppState:
    """What the shell shows and asks for. Two configs, because the worker answers later than people click:

    - `config` is the one asked for last: the controls show it and every new change starts from it;
    - `in_force` is the one the worker last accepted (or loaded from a session): the settings saved on
      close, the one shown again when the worker refuses a request.

    Every change goes through a method here, which notifies the views of that part of the state.
    """

    def __init__(self, config: Config, language: str = "en") -> None:
        self.config = config
        self.in_force = config
        self.freeze: tuple[bool, bool] = (False, False)    # (G, D)
        self.layers = Layers()
        self.language = language
        self.config_changed = Event()      # (config): the controls show it
        self.freeze_changed = Event()      # (freeze_g, freeze_d)
        self.layers_changed = Event()      # (Layers)
        self.language_changed = Event()    # (language code)
        self._requests = 0                 # configs asked for so far
        self._loads: dict = {}             # a session sent to the worker -> self._requests when it was sent

    # ---------------------------------------------------------------- config
    def request(self, config: Config) -> None:
        """A config asked for (the caller sends it to the worker)."""
        self._requests += 1
        self.config = config
        self.config_changed.emit(config)

    def show(self, config: Config) -> None:
        """Show a config that is not new (a refused value reverts to this one)."""
        self.config_changed.emit(config)

    def accepted(self, config: Config) -> None:
        self.in_force = config

    def rejected(self, refused: Config, in_force: Config) -> None:
        """The worker refused `refused`: unless a newer request is on its way, go back to what runs, so later
        changes do not inherit the bad value."""
        self.in_force = in_force
        if refused is self.config:
            self.request(in_force)

    def loading(self, session) -> None:
        """`session` was sent to the worker: remember how many configs had been asked for then (see `loaded`).
        Several loads may be on their way at once; each is answered (or fails) in the order sent."""
        if len(self._loads) > 64:   # loads the worker refused are never answered: forget the oldest
            self._loads.pop(next(iter(self._loads)))
        self._loads[session] = self._requests

    def loaded(self, config: Config, session=None) -> None:
        """The worker runs a loaded session. A setting asked for after that load was sent reached the worker
        after the session and is what it runs now: keep it. Otherwise take the session's config. (One
        remembered "config at the load" was not enough: with two loads on their way, the second overwrote it,
        and the first answer then took a session config the worker had already left.)"""
        self.in_force = config
        sent = self._loads.pop(session, None)
        if sent is None or self._requests == sent:
            self.request(config)

    # ------------------------------------------------------------ the rest
    def set_freeze(self, freeze_g: bool, freeze_d: bool) -> None:
        self.freeze = (bool(freeze_g), bool(freeze_d))
        self.freeze_changed.emit(*self.freeze)

    def set_layers(self, layers: Layers) -> None:
        self.layers = layers
        self.layers_changed.emit(layers)

    def set_language(self, language: str) -> None:
        self.language = language
        self.language_changed.emit(language)
