"""What a class notices in the shell (issue 12): the window fits the screen, the controls panel scrolls without
changing values, Enter gives the keyboard back to Space, undo/redo of target edits and settings, a Reset that a
stray key cannot fire on a long run, a status bar that says when training is paused, labels that explain."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFormLayout

from ganlab.app import window as window_mod
from ganlab.core.presets import build_target


def _wheel(widget, dy: int) -> None:
    pos = QPointF(5, 5)
    ev = QWheelEvent(pos, QPointF(widget.mapToGlobal(QPoint(5, 5))), QPoint(0, 0), QPoint(0, dy),
                     Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, ev)


def test_the_window_opens_inside_the_available_screen(make_window):
    w = make_window(deferred=True, show=False)
    room = (w.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    size = w.default_size()
    assert size.width() <= min(window_mod.DEFAULT_SIZE[0], room.width())
    assert size.height() <= min(window_mod.DEFAULT_SIZE[1], room.height())
    assert w.width() <= room.width() and w.height() <= room.height()


def test_the_wheel_scrolls_the_panel_and_changes_only_the_focused_box(make_window):
    w = make_window(deferred=True, size=(1000, 500))
    box = w.controls.control("train.batch_size")
    bar = w.controls.verticalScrollBar()
    assert bar.maximum() > 0   # the panel scrolls at this height
    before, scrolled = box.value(), bar.value()
    _wheel(box, -120)
    assert box.value() == before and bar.value() > scrolled   # the panel scrolled, the value stayed
    box.setFocus()
    QApplication.processEvents()
    _wheel(box, 120)
    assert box.value() != before                              # the box with the focus takes the wheel


def test_enter_commits_a_typed_value_and_space_then_plays(qtbot, make_window):
    w = make_window(active=True)
    box = w.controls.control("train.k_d")
    box.setFocus()
    box.selectAll()
    QTest.keyClicks(box, "3")
    QTest.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.hasFocus(), timeout=2000)
    assert w.config.train.k_d == 3
    QTest.keyClick(w, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.playing, timeout=5000)
    assert box.value() == 3   # Space did not type into the box


def test_labels_carry_their_controls_tooltips(make_window):
    w = make_window(deferred=True, show=False)
    checked = 0
    for key in ("opt_d.lr", "train.k_d", "train.loss", "noise.dim", "target.preset"):
        box = w.controls.control(key)
        form = box.parentWidget().layout()
        assert isinstance(form, QFormLayout)
        label = form.labelForField(box)
        assert label.toolTip() == box.toolTip() and key in label.toolTip()
        checked += 1
    assert checked == 5


def test_settings_changes_undo_and_redo(qtbot, make_window):
    w = make_window()
    lr0 = w.config.opt_d.lr
    w.controls.control("opt_d.lr").setValue(0.0123)
    w.controls.control("train.k_g").setValue(2)
    assert w.config.opt_d.lr == pytest.approx(0.0123) and w.history.stack.count() == 2
    w.history.stack.undo()
    assert w.config.train.k_g == 1 and w.controls.control("train.k_g").value() == 1
    w.history.stack.undo()
    assert w.config.opt_d.lr == pytest.approx(lr0)
    qtbot.waitUntil(lambda: w.worker.trainer.config.opt_d.lr == pytest.approx(lr0), timeout=5000)
    w.history.stack.redo()
    assert w.config.opt_d.lr == pytest.approx(0.0123)
    qtbot.waitUntil(lambda: w.worker.trainer.config.opt_d.lr == pytest.approx(0.0123), timeout=5000)


def test_a_drag_is_one_undo_step_and_target_edits_undo_exactly(qtbot, make_window):
    w = make_window()
    t0 = w.worker.trainer.target
    for k in range(1, 11):   # a drag: a stream of moves of one mode
        w.field.sigModeMoved.emit(0, 0.2 * k, -0.1 * k)
    qtbot.waitUntil(lambda: np.allclose(w.worker.trainer.target.means[0], (2.0, -1.0)), timeout=5000)
    qtbot.waitUntil(lambda: w.drawn is not None and np.allclose(w.drawn.target.means[0], (2.0, -1.0)), timeout=5000)
    w.field.sigModeAdded.emit(1.5, 1.5)
    qtbot.waitUntil(lambda: w.worker.trainer.target.n_modes == t0.n_modes + 1, timeout=5000)
    assert w.history.stack.count() == 2
    w.history.stack.undo()   # the added mode goes
    qtbot.waitUntil(lambda: w.worker.trainer.target.n_modes == t0.n_modes, timeout=5000)
    w.history.stack.undo()   # the whole drag, in one step
    qtbot.waitUntil(lambda: np.allclose(w.worker.trainer.target.means[0], t0.means[0]), timeout=5000)
    assert np.allclose(w.worker.trainer.target.means, t0.means)
    w.history.stack.redo()
    qtbot.waitUntil(lambda: np.allclose(w.worker.trainer.target.means[0], (2.0, -1.0)), timeout=5000)


def test_restore_the_presets_target_is_undoable(qtbot, make_window):
    w = make_window()
    preset = build_target(w.config.target)
    w.field.sigModeRemoved.emit(3)
    qtbot.waitUntil(lambda: w.worker.trainer.target.n_modes == preset.n_modes - 1, timeout=5000)
    qtbot.waitUntil(lambda: w.drawn is not None and w.drawn.target.n_modes == preset.n_modes - 1, timeout=5000)
    restore = next(a for a in w.menu_edit.actions() if "target" in a.text())
    restore.trigger()
    qtbot.waitUntil(lambda: w.worker.trainer.target.n_modes == preset.n_modes, timeout=5000)
    assert np.allclose(w.worker.trainer.target.means, preset.means)
    w.history.stack.undo()
    qtbot.waitUntil(lambda: w.worker.trainer.target.n_modes == preset.n_modes - 1, timeout=5000)


def test_reset_on_a_long_run_needs_a_second_press(qtbot, make_window, monkeypatch):
    monkeypatch.setattr(window_mod, "RESET_CONFIRM", 30)
    w = make_window()
    w.play()
    qtbot.waitUntil(lambda: w.worker.trainer.iteration >= 40, timeout=20000)
    w.pause()
    qtbot.waitUntil(lambda: not w.playing, timeout=5000)
    qtbot.waitUntil(lambda: w.drawn is w.worker.latest and w.drawn.iteration >= 40, timeout=5000)
    it = w.worker.trainer.iteration
    w.act_reset.trigger()
    qtbot.wait(200)
    assert w.worker.trainer.iteration == it and "again" in w.statusBar().currentMessage()
    w.act_reset.trigger()
    qtbot.waitUntil(lambda: w.worker.trainer.iteration == 0, timeout=5000)


def test_the_status_bar_says_paused_without_a_stale_speed(qtbot, make_window):
    w = make_window()
    w.play()
    qtbot.waitUntil(lambda: w.worker.trainer.iteration >= 20 and w.drawn is not None and w.drawn.iteration > 0,
                    timeout=20000)
    w._update_status()
    assert "it/s" in w.status_label.text() and "PAUSED" not in w.status_label.text()
    w.pause()
    qtbot.waitUntil(lambda: not w.playing, timeout=5000)
    text = w.status_label.text()
    assert text.startswith("PAUSED at iteration") and "it/s" not in text


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_controls_panel_never_scrolls_sideways(qtbot, make_window, lang):
    w = make_window(deferred=True, size=(1366, 768))
    w.set_language(lang)
    qtbot.waitUntil(lambda: w.controls.widget().minimumSizeHint().width() <= w.controls.viewport().width(),
                    timeout=3000)
    assert w.controls.horizontalScrollBar().maximum() == 0
    w.set_language("en")


def test_the_field_tools_are_in_the_view_menu_and_the_key_sheet(make_window):
    from ganlab.app import shortcuts

    w = make_window(deferred=True, show=False)
    actions = w.menu_view.actions()
    for a in (w.field.action_fit, w.field.action_brush, w.field.action_legend):
        assert a in actions
    listed = {e.key_list: e.text for e in shortcuts.gather(w) if e.key_list}
    assert listed.get(("F",)) == "Fit" and listed.get(("B",)) == "Brush"


def test_a_closed_window_does_not_retranslate(make_window, monkeypatch):
    """A language switch in one window reaches every window; a closed one is on its way out (Qt deletes its
    menus first) and must not touch them: a RuntimeError there crashed the test process in shiboken."""
    closed, other = make_window(deferred=True), make_window(deferred=True)
    calls = []
    monkeypatch.setattr(closed, "retranslate", lambda: calls.append(1))
    closed.close()
    other.set_language("ru")
    other.set_language("en")
    assert calls == [] and other.menu_file.title() == "&File"
