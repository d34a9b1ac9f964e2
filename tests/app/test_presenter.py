"""Presenter mode (F11, Esc) and the keyboard-shortcut overlay (?, F1), in the real MainWindow.

The window is built with deferred=True and no worker (no torch, no thread): presenter mode and the
overlay are window features. Keys go through QTest key clicks, which pass through Qt's real shortcut map.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QSplitter, QToolBar

from ganlab.app import presenter as presenter_mod
from ganlab.app import shortcuts as shortcuts_mod
from ganlab.app import style
from ganlab.app.window import MainWindow


def active_window(make_window) -> MainWindow:
    """A shown, active MainWindow without a worker: keys reach its shortcuts."""
    return make_window(deferred=True, size=(1200, 760), active=True)


@pytest.fixture
def win(make_window):
    w = active_window(make_window)
    yield w
    if getattr(w, "presenter", None) is not None and w.presenter.active:
        w.presenter.leave()   # never leak a big application font into other tests


def _state(w) -> dict:
    """Everything presenter mode touches, as plain values."""
    app = QApplication.instance()
    dock = w.findChild(QDockWidget, "controls")
    return {
        "fullscreen": w.isFullScreen(),
        "window_state": w.windowState(),
        "geometry": w.geometry(),
        "app_font": app.font().pointSizeF(),
        "default_scale": style.current_scale(),
        "field": w.field.scale(),
        "theory": w.theory.scale(),
        "curves": w.curves.scale(),
        "curve_pen": w.curves.s_loss_d.curve.opts["pen"].widthF(),
        "curve_tick_font": w.curves.plot_loss.getAxis("left").style["tickFont"].pointSizeF(),
        "fake_size": w.field.fake_item.size(),
        "dock_visible": dock.isVisible(),
        "icons": [QSize(t.iconSize()) for t in w.findChildren(QToolBar)],
        "splitters": [s.sizes() for s in w.findChildren(QSplitter)],
    }


def press(qtbot, w, key) -> None:
    qtbot.keyClick(w, key)
    QApplication.processEvents()


# ================================================================== presenter mode
def test_the_window_builds_its_parts_and_views_keep_the_view_contract(win):
    from ganlab.app.presenter import Presenter
    from ganlab.app.shortcuts import ShortcutOverlay
    from ganlab.app.views.protocol import SnapshotView

    assert isinstance(win.presenter, Presenter) and isinstance(win.shortcut_overlay, ShortcutOverlay)
    assert win.shortcut_overlay.action in win.menu_help.actions()
    assert [v for v in win.views() if isinstance(v, SnapshotView)] == [win.field, win.world1d, win.lecture, win.curves]
    assert isinstance(win.theory, SnapshotView) and win.lecture.page("theory") is win.theory


def test_f11_enters_and_leaves_presenter_mode_restoring_everything(qtbot, win):
    before = _state(win)
    assert not before["fullscreen"] and before["dock_visible"]
    assert win.act_presenter.isCheckable() and not win.act_presenter.isChecked()
    assert win.act_presenter in win.menu_view.actions()
    assert QKeySequence(Qt.Key.Key_F11) in win.act_presenter.shortcuts()

    press(qtbot, win, Qt.Key.Key_F11)
    on = _state(win)
    s = presenter_mod.PRESENTER_SCALE
    assert win.presenter.active and win.act_presenter.isChecked()
    assert on["fullscreen"] and on["window_state"] & Qt.WindowState.WindowFullScreen
    assert on["field"] == pytest.approx(s) and on["theory"] == pytest.approx(s) and on["curves"] == pytest.approx(s)
    assert on["default_scale"] == pytest.approx(s)
    assert on["fake_size"] == pytest.approx(style.FAKE_SIZE * style.point_scale(s))  # points grow less than lines
    # curves readable from the back: thicker lines, bigger axis text
    assert on["curve_pen"] == pytest.approx(style.CURVE_WIDTH * s)
    assert on["curve_tick_font"] == pytest.approx(before["curve_tick_font"] * s)
    # the application font (menus, toolbar, status bar) is larger
    assert on["app_font"] == pytest.approx(before["app_font"] * presenter_mod.FONT_SCALE)
    assert all(a.width() > b.width() for a, b in zip(on["icons"], before["icons"], strict=True))
    assert not on["dock_visible"]   # the plots get the room

    press(qtbot, win, Qt.Key.Key_F11)
    after = _state(win)
    assert not win.presenter.active and not win.act_presenter.isChecked()
    assert after == before


def test_escape_leaves_presenter_mode_and_is_inert_otherwise(qtbot, win):
    before = _state(win)
    press(qtbot, win, Qt.Key.Key_Escape)       # not in presenter mode: nothing happens
    assert not win.presenter.active and _state(win) == before
    press(qtbot, win, Qt.Key.Key_F11)
    assert win.presenter.active
    press(qtbot, win, Qt.Key.Key_Escape)
    assert not win.presenter.active
    assert _state(win) == before


def test_menu_item_and_controls_dock_toggle_in_presenter_mode(qtbot, win):
    before = _state(win)
    win.act_presenter.trigger()                 # View > Presenter mode
    assert win.presenter.active and win.isFullScreen()
    press(qtbot, win, Qt.Key.Key_F9)            # the teacher needs a control: F9 shows the dock
    assert win.findChild(QDockWidget, "controls").isVisible()
    win.act_presenter.trigger()
    QApplication.processEvents()                # the main window lays its docks out lazily
    assert _state(win) == before


def test_a_hidden_dock_stays_hidden_after_presenter_mode(qtbot, win):
    press(qtbot, win, Qt.Key.Key_F9)
    before = _state(win)
    assert not before["dock_visible"]
    press(qtbot, win, Qt.Key.Key_F11)
    press(qtbot, win, Qt.Key.Key_F9)            # shown during the lecture...
    press(qtbot, win, Qt.Key.Key_F11)
    assert _state(win) == before                # ...and hidden again as it was


def test_closing_in_presenter_mode_restores_first(qtbot, win):
    font = QApplication.instance().font().pointSizeF()
    win.presenter.enter()
    assert QApplication.instance().font().pointSizeF() > font
    seen = []
    win.presenter.sigChanged.connect(seen.append)
    win.close()
    assert seen == [False]
    assert QApplication.instance().font().pointSizeF() == pytest.approx(font)
    assert style.current_scale() == pytest.approx(1.0)


# ================================================================== shortcut overlay
def _all_keys(w) -> set[str]:
    """Every key sequence of every QAction of the window, as the overlay should print it."""
    keys = set()
    for a in w.findChildren(QAction):
        keys.update(shortcuts_mod.key_list(a.shortcuts()))
    return keys


def test_question_mark_shows_every_key(qtbot, win):
    ov = win.shortcut_overlay
    assert not ov.isVisible()
    press(qtbot, win, "?")
    assert ov.isVisible()
    assert ov.geometry() == win.rect()
    listed = {k for e in ov.entries() for k in e.key_list}
    for key in ("Space", "S", "Right", "D", "G", "R", "F11", "Esc", "F1", "?"):
        assert key in listed, key
    assert _all_keys(win) <= listed     # export, sessions, ... whatever is installed now
    for a in win.findChildren(QAction):
        if a.shortcuts():
            assert shortcuts_mod.clean_text(a.text()) in {e.text for e in ov.entries()}, a.text()
    texts = {e.text for e in ov.entries()}
    assert {"Play", "Step", "D step", "G step", "Reset", "Presenter mode", "Keyboard shortcuts"} <= texts
    by_key = {e.key_list: e for e in ov.entries() if not e.mouse}
    assert by_key[("F11",)].group == "View" and by_key[("Space",)].group == "Training"
    mouse = [e for e in ov.entries() if e.mouse]
    assert any("Drag" in e.keys for e in mouse) and any("Double-click" in e.keys for e in mouse)
    assert any("Right-click" in e.keys for e in mouse) and any("spread" in e.text for e in mouse)
    shown = "".join(lab.text() for lab in ov.columns)
    assert "Space" in shown and "F11" in shown and "Double-click" in shown
    ov.grab()


def test_overlay_gathers_actions_added_later(qtbot, win):
    act = QAction("Export field as &PNG…", win)
    act.setShortcut(QKeySequence("Ctrl+Alt+Shift+F12"))
    win.menu_file.addAction(act)
    press(qtbot, win, Qt.Key.Key_F1)
    entries = {e.text: e for e in win.shortcut_overlay.entries()}
    assert "Export field as PNG" in entries
    assert entries["Export field as PNG"].group == "File"
    assert entries["Export field as PNG"].key_list == (act.shortcut().toString(QKeySequence.NativeText),)


def test_no_two_actions_share_a_key(win):
    """Qt fires neither of two actions with the same shortcut ("ambiguous"): every key must be unique."""
    owners: dict[str, list[str]] = {}
    for a in win.findChildren(QAction):
        for k in shortcuts_mod.key_list(a.shortcuts()):
            owners.setdefault(k, []).append(shortcuts_mod.clean_text(a.text()))
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_any_key_closes_the_overlay_and_does_nothing_else(qtbot, win):
    ov = win.shortcut_overlay
    played = []
    win.commands.play.connect(lambda: played.append(1))
    win.commands.pause.connect(lambda: played.append(0))
    press(qtbot, win, "?")
    assert ov.isVisible()
    qtbot.keyClick(win, Qt.Key.Key_Shift)       # a lone modifier (typing "?" again) keeps it open
    assert ov.isVisible()
    press(qtbot, win, Qt.Key.Key_Space)
    assert not ov.isVisible() and played == []
    press(qtbot, win, "?")
    press(qtbot, win, Qt.Key.Key_F11)
    assert not ov.isVisible() and not win.presenter.active
    press(qtbot, win, "?")
    press(qtbot, win, "x")
    assert not ov.isVisible()
    press(qtbot, win, Qt.Key.Key_Space)         # closed: keys work again
    assert played == [1]


def test_a_click_closes_the_overlay(qtbot, win):
    ov = win.shortcut_overlay
    press(qtbot, win, "?")
    assert ov.isVisible()
    qtbot.mouseClick(ov, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert not ov.isVisible()


def test_overlay_in_presenter_mode_and_small_windows_fits(qtbot, win):
    press(qtbot, win, Qt.Key.Key_F11)
    press(qtbot, win, "?")
    ov = win.shortcut_overlay
    assert ov.isVisible() and ov.geometry() == win.rect()
    big = ov.point_size
    press(qtbot, win, "x")
    press(qtbot, win, Qt.Key.Key_F11)
    win.resize(640, 420)
    QApplication.processEvents()
    press(qtbot, win, "?")
    assert ov.point_size < big
    ov.layout().activate()
    for lab in ov.columns:
        assert lab.geometry().bottom() <= ov.height() and lab.geometry().right() <= ov.width()


def test_ctrl_q_quits_where_the_platform_quit_key_is_ctrl_q_too(qtbot, make_window, monkeypatch):
    """On X11 desktops QKeySequence.Quit is [Ctrl+Q, Exit]: Ctrl+Q listed twice was an ambiguous shortcut
    ("QAction::event: Ambiguous shortcut overload: Ctrl+Q") and did not quit."""
    from PySide6.QtTest import QTest

    from ganlab.app.menus import file_menu

    bindings = [QKeySequence("Ctrl+Q"), QKeySequence(Qt.Key.Key_Exit)]
    monkeypatch.setattr(file_menu.QKeySequence, "keyBindings", staticmethod(lambda key: list(bindings)))
    assert [k.toString() for k in file_menu.quit_keys()] == ["Ctrl+Q", bindings[1].toString()]
    w = active_window(make_window)   # built after the patch: its Quit action takes these bindings
    QTest.keyClick(w, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=3000)
