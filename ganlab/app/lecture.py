"""The lecture on screen: the theory tabs (D and D*, the equation board, the saturation explorer, the D* probe),
the theory workspace that gives them the field's place (W), probing by a click on the field or a theory map,
and the switch between the 2-D field and the 1-D view when the target's dimension changes.

Kept apart from the window so that the window only builds it and hands it snapshots.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from .views.lecture_tabs import TITLE_EQUATIONS, TITLE_PROBE, TITLE_SATURATION, TITLE_THEORY, LectureTabs
from .views.probe_view import ProbeView, connect_clicks
from .views.saturation_view import SaturationView


def build_tabs(theory, board=None) -> tuple[LectureTabs, SaturationView, ProbeView]:
    """The tabs with their pages: the theory panels first (the view people know), then the lecture's."""
    saturation, probe = SaturationView(), ProbeView()
    pages = [("theory", TITLE_THEORY, theory)]
    if board is not None:
        pages.append(("equations", TITLE_EQUATIONS, board))
    pages += [("saturation", TITLE_SATURATION, saturation), ("probe", TITLE_PROBE, probe)]
    return LectureTabs(pages), saturation, probe


class Lecture(QObject):
    """Owns the workspace action and the probe's click sources; follows the target's dimension."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.tabs = window.lecture
        self.dim = 2
        self.action_workspace = QAction(window)
        self.action_workspace.setCheckable(True)
        self.action_workspace.setShortcut(QKeySequence(Qt.Key.Key_W))
        self.action_workspace.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action_workspace.toggled.connect(self.set_workspace)
        self.tabs.workspaceToggled.connect(self.action_workspace.setChecked)
        window.addAction(self.action_workspace)
        self._clicks_connected = False
        self.retranslate()

    def connect_clicks(self) -> None:
        """Left clicks on the field, the theory maps and the 1-D view probe that point (once they are in scenes)."""
        if self._clicks_connected:
            return
        w = self.window
        probe = self.tabs.page("probe")
        for plot in (w.field.plot, *w.theory.plots, w.world1d.plot):
            if plot.scene() is not None:
                connect_clicks(plot, probe)
        probe.sigPointChanged.connect(self._probed)
        self._clicks_connected = True

    def _probed(self, x: float, y: float) -> None:
        if self.tabs.current_key() != "probe":
            text = QCoreApplication.translate("Lecture", "Probing x = {0:.3g}{1}: see the “D* probe” tab")
            ytext = "" if y != y else QCoreApplication.translate("Lecture", ", y = {0:.3g}").format(y)
            self.window.statusBar().showMessage(text.format(x, ytext), 5000)

    def set_workspace(self, on: bool) -> None:
        self.window.view_area.set_workspace(on)
        b = self.tabs.workspace_button
        if b.isChecked() != on:
            b.setChecked(on)
        if self.action_workspace.isChecked() != on:
            self.action_workspace.setChecked(on)

    def follow(self, snap) -> None:
        """Show the 1-D view or the 2-D field for this snapshot's target."""
        dim = int(getattr(snap.target, "dim", 2))
        if dim != self.dim:
            self.dim = dim
            self.window.view_area.set_dim(dim)
            self.tabs.set_dim(dim)

    def retranslate(self) -> None:
        self.action_workspace.setText(QCoreApplication.translate("Lecture", "&Theory workspace"))
        self.action_workspace.setToolTip(QCoreApplication.translate(
            "Lecture", "The theory tabs take the field's place too (W): D, D* and D − D* as large as the field"))
