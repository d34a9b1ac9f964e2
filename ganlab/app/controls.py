"""The control dock: one widget per config key, grouped as a teacher thinks about a GAN.

Ranges, choices and tooltips come from the config's own field metadata and help texts, so a control can
never offer a value the core would reject, and the CLI and the app explain a setting in the same words.
Controls only emit (key, value); the window turns them into commands.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.config import Config, field_info
from .state import Layers


class _InputFilter(QObject):
    """Two rules for the panel's spin boxes and lists, found driving the app with a real mouse and keyboard:
    the wheel changes a value only in the box that has the focus (over the others it scrolls the panel:
    scrolling through it changed the batch size on the way), and Enter commits a typed value and gives the
    keyboard back to the window, so that Space then plays or pauses instead of typing into the box."""

    def eventFilter(self, obj, event) -> bool:
        t = event.type()
        if t == QEvent.Type.Wheel and not obj.hasFocus():
            QCoreApplication.sendEvent(self.parent().verticalScrollBar(), event)   # the panel scrolls instead
            return True
        if t == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QTimer.singleShot(0, obj.clearFocus)   # after the box has taken the value
        return False


MIN_WIDTH = 270   # px: the panel's width in English at scale 1


class ControlsPanel(QScrollArea):
    """Shows the state it is given (set_config, show_freeze, show_layers: no signals) and emits what people
    change. On a language change it builds its body again in the new language, showing the same values."""

    sigChanged = Signal(str, object)            # config key, new value
    sigLayers = Signal(object)                  # Layers
    sigFreeze = Signal(bool, bool)              # freeze G, freeze D
    sigLoadPoints = Signal()
    sigSetDStar = Signal()                      # "Set D to D*": fit the network D to the analytic optimum

    def __init__(self, config: Config, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)   # the panel widens instead
        self.setMinimumWidth(MIN_WIDTH)
        self._config = config
        self._build_body(Layers(), (False, False))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange and self.widget() is not None:
            self._build_body(self.layers(), self.freeze_state())
        super().changeEvent(event)

    def _build_body(self, layers: Layers, frozen: tuple[bool, bool]) -> None:
        self._widgets: dict[str, QWidget] = {}
        self._input_filter = _InputFilter(self)
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(6, 6, 6, 6)

        g = self._group(lay, self.tr("Target"))
        self._combo(g, "target.preset", None, self.tr("Preset"))
        self._double(g, "target.std", self.tr("Mode std"), decimals=3, step=0.01, optional=True)
        load = QPushButton(self.tr("Load points from CSV…"))
        load.setToolTip(self.tr("Make the target a mixture of small Gaussians at the x,y rows of a CSV file."))
        load.clicked.connect(self.sigLoadPoints)
        g.addRow(load)
        hint = QLabel(self.tr("Drag a mode; double-click adds one; right-click removes or resizes; "
                              "wheel over a mode changes its spread."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: gray")
        g.addRow(hint)

        g = self._group(lay, self.tr("Loss"))
        self._combo(g, "train.loss", None, self.tr("Loss"))
        self._double(g, "train.gp_lambda", self.tr("GP λ"), decimals=3, step=0.1)
        self._double(g, "train.r1_gamma", self.tr("R1 γ"), decimals=3, step=0.1)
        self._check(g, "train.oracle_d", self.tr("Oracle D (G plays against D*)"))

        for net, opt, k, title in (("discriminator", "opt_d", "train.k_d", self.tr("Discriminator")),
                                   ("generator", "opt_g", "train.k_g", self.tr("Generator"))):
            g = self._group(lay, title)
            self._double(g, f"{opt}.lr", self.tr("Learning rate"), decimals=6, step=None)
            self._combo(g, f"{opt}.name", None, self.tr("Optimizer"))
            self._double(g, f"{opt}.beta1", self.tr("Adam β1"), decimals=3, step=0.05)
            self._int(g, k, self.tr("Steps per iteration"))
            self._int(g, f"{net}.depth", self.tr("Hidden layers"))
            self._int(g, f"{net}.width", self.tr("Width"))
            self._combo(g, f"{net}.activation", None, self.tr("Activation"))
            if net == "generator":
                self._int(g, "noise.dim", self.tr("Noise dim"))
                self._combo(g, "noise.dist", None, self.tr("Noise p_z"))
            freeze = QCheckBox(self.tr("Freeze (no updates)"))
            freeze.setToolTip(self.tr("Stop updating this network. Freeze G and train D to watch D approach D* "
                                      "and V(G, D) approach -log 4 + 2 JSD."))
            freeze.toggled.connect(self._freeze_changed)
            g.addRow(freeze)
            self._widgets[f"freeze.{net}"] = freeze
            if net == "discriminator":
                dstar = QPushButton(self.tr("Set D to D*"))
                dstar.setToolTip(self.tr("Fit the network D to the optimal D* = p_data / (p_data + p_g) of the "
                                         "current G (the paper's Figure 1, panel b). G and the iteration do not "
                                         "change. Only for losses with a closed-form D*."))
                dstar.clicked.connect(self.sigSetDStar)
                g.addRow(dstar)
                self._widgets["action.set_dstar"] = dstar

        g = self._group(lay, self.tr("Training"))
        self._int(g, "train.batch_size", self.tr("Batch size"))
        self._int(g, "train.seed", self.tr("Seed"))
        self._combo(g, "train.device", None, self.tr("Device"))

        g = self._group(lay, self.tr("Display"))
        self._int(g, "theory.samples", self.tr("Samples shown"))
        self._layer_boxes = {}
        for name, label, tip in (
            ("heatmap", self.tr("D(x) heatmap"), self.tr("Colour the field by the discriminator's D(x).")),
            ("real", self.tr("Real samples"), self.tr("Points drawn from p_data.")),
            ("fake", self.tr("Generated samples"), self.tr("Points G(z) for a fixed batch of noise z.")),
            ("push", self.tr("Generator gradients"),
             self.tr("Arrows: the direction the generator's loss pushes each generated point (-dL_G/dx).")),
            ("manifold", self.tr("Generator manifold"),
             self.tr("The noise grid mapped through G (noise dim 1 or 2): how G folds the noise space.")),
        ):
            box = QCheckBox(label)
            box.setChecked(getattr(layers, name))
            box.setToolTip(tip)
            box.toggled.connect(self._layers_changed)
            g.addRow(box)
            self._layer_boxes[name] = box
        lay.addStretch(1)
        self.setWidget(body)
        # As wide as its widest row in this language (Russian labels are longer), never a sideways scroll.
        need = body.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()
        self.setMinimumWidth(max(MIN_WIDTH, need))
        self.set_config(self._config)
        self.show_freeze(*frozen)

    # ------------------------------------------------------------- builders
    def _group(self, lay, title) -> QFormLayout:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        lay.addWidget(box)
        return form

    def _tip(self, key: str, w: QWidget) -> None:
        info = field_info(key)
        rng = ""
        if info.get("lo") is not None:
            rng = "\n" + self.tr("Allowed: {0:g} … {1:g}").format(info["lo"], info["hi"])
        # the config's help is the one text (core/config.py HELP), translated in its context "Config"
        w.setToolTip(QCoreApplication.translate("Config", info["help"]) + rng + f"\n[{key}]")

    def _combo(self, form, key, items, label) -> QComboBox:
        w = QComboBox()
        w.addItems(list(items if items is not None else field_info(key)["choices"]))
        w.currentTextChanged.connect(lambda text, k=key: self.sigChanged.emit(k, text))
        self._add(form, key, w, label)
        return w

    def _int(self, form, key, label) -> QSpinBox:
        info = field_info(key)
        w = QSpinBox()
        w.setRange(int(info["lo"]), int(info["hi"]))
        w.setKeyboardTracking(False)  # apply on Enter / focus out, not on every digit
        w.valueChanged.connect(lambda v, k=key: self.sigChanged.emit(k, v))
        self._add(form, key, w, label)
        return w

    def _double(self, form, key, label, decimals, step, optional=False) -> QDoubleSpinBox:
        info = field_info(key)
        w = QDoubleSpinBox()
        w.setDecimals(decimals)
        lo = 0.0 if optional else info["lo"]  # 0 shows "preset" for an optional value
        w.setRange(lo, info["hi"])
        if optional:
            w.setSpecialValueText(self.tr("preset"))
        if step is None:
            w.setStepType(QDoubleSpinBox.AdaptiveDecimalStepType)
        else:
            w.setSingleStep(step)
        w.setKeyboardTracking(False)
        w.valueChanged.connect(lambda v, k=key, o=optional: self.sigChanged.emit(k, None if o and v == 0 else v))
        self._add(form, key, w, label)
        return w

    def _check(self, form, key, label) -> QCheckBox:
        w = QCheckBox(label)
        w.toggled.connect(lambda on, k=key: self.sigChanged.emit(k, bool(on)))
        self._tip(key, w)
        w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        form.addRow(w)
        self._widgets[key] = w
        return w

    def _add(self, form, key, w, label) -> None:
        self._tip(key, w)
        lab = QLabel(label)
        lab.setToolTip(w.toolTip())   # the label explains as much as the box it names
        lab.setBuddy(w)
        w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)   # not WheelFocus: scrolling the panel must not focus it
        w.installEventFilter(self._input_filter)
        form.addRow(lab, w)
        self._widgets[key] = w

    # ---------------------------------------------------------------- state
    def control(self, key: str) -> QWidget:
        """The input widget of a config key (or freeze.generator / freeze.discriminator)."""
        return self._widgets[key]

    def set_config(self, config: Config) -> None:
        """Show a config without emitting (after a load, a lesson, or a rejected value)."""
        self._config = config
        for key, w in self._widgets.items():
            if key.startswith(("freeze.", "action.")):
                continue
            value = config.get(key)
            with QSignalBlocker(w):
                if isinstance(w, QComboBox):
                    i = w.findText(str(value))
                    if i < 0:
                        w.addItem(str(value))
                        i = w.findText(str(value))
                    w.setCurrentIndex(i)
                elif isinstance(w, QDoubleSpinBox):
                    w.setValue(0.0 if value is None else float(value))
                elif isinstance(w, QSpinBox):
                    w.setValue(int(value))
                elif isinstance(w, QCheckBox):
                    w.setChecked(bool(value))

    def layers(self) -> Layers:
        return Layers(**{n: b.isChecked() for n, b in self._layer_boxes.items()})

    def set_layer(self, name: str, on: bool) -> None:
        """As if clicked: the layer changes and sigLayers says so."""
        self._layer_boxes[name].setChecked(on)

    def show_layers(self, layers: Layers) -> None:
        for name, box in self._layer_boxes.items():
            with QSignalBlocker(box):
                box.setChecked(getattr(layers, name))

    def _layers_changed(self, *_):
        self.sigLayers.emit(self.layers())

    def freeze_state(self) -> tuple[bool, bool]:
        return (self._widgets["freeze.generator"].isChecked(), self._widgets["freeze.discriminator"].isChecked())

    def show_freeze(self, freeze_g: bool, freeze_d: bool) -> None:
        for key, on in (("freeze.generator", freeze_g), ("freeze.discriminator", freeze_d)):
            with QSignalBlocker(self._widgets[key]):
                self._widgets[key].setChecked(on)

    def _freeze_changed(self, *_):
        self.sigFreeze.emit(*self.freeze_state())

