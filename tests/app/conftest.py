"""Qt tests run offscreen; the platform must be chosen before Qt creates its application.

Fixtures:
- settings isolation (autouse): no test reads or writes the user's settings;
- settings_file: $GANLAB_SETTINGS names a temporary INI file, so the app keeps settings there;
- make_window: builds MainWindows with the small config and closes them after the test.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pyqtgraph as pg  # noqa: E402
import pytest  # noqa: E402
from helpers import close_window, new_window, show_window  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402

# pyqtgraph drops mouse moves closer than 10 ms apart; hand-built drag events come faster.
pg.setConfigOptions(mouseRateLimit=0, useOpenGL=False)

SETTINGS_ENV = "GANLAB_SETTINGS"  # ganlab.app.settings.SETTINGS_ENV (not imported here: it imports the app)


# ===================================================================== settings isolation
def _redirect_settings(mp: pytest.MonkeyPatch, folder: Path) -> None:
    """QSettings' own files and $XDG_CONFIG_HOME (subprocesses) go to `folder`; no $GANLAB_SETTINGS (a test
    that wants one sets it afterwards, e.g. with settings_file)."""
    mp.setenv("XDG_CONFIG_HOME", str(folder))
    mp.delenv(SETTINGS_ENV, raising=False)
    _point_qsettings_at(folder)


def _point_qsettings_at(folder: Path) -> None:
    """Both formats, both scopes (the system scope is read as a fallback). QSettings objects made later use it."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(folder / "system"))


@pytest.fixture(scope="session", autouse=True)
def session_settings(tmp_path_factory) -> Path:
    """Isolation for fixtures wider than a test (a module's window is built before the per-test isolation)."""
    folder = tmp_path_factory.mktemp("settings-session")
    with pytest.MonkeyPatch.context() as mp:
        _redirect_settings(mp, folder)
        yield folder


@pytest.fixture(autouse=True)
def isolated_settings(session_settings, tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own empty settings folder (not in tmp_path: tests list that), and afterwards the
    application's organization name again: with organization "ganlab" (as ganlab.app.main.run_app sets it)
    the app keeps settings, in QSettings' user folder, which is this one."""
    folder = tmp_path_factory.mktemp("settings")
    _redirect_settings(monkeypatch, folder)
    had_app = QCoreApplication.instance() is not None
    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    yield folder
    QCoreApplication.setOrganizationName(names[0])
    if had_app:  # (before the application exists the name is empty; pytest-qt names the one it makes)
        QCoreApplication.setApplicationName(names[1])
    _point_qsettings_at(session_settings)  # for module fixtures that close after this test


@pytest.fixture
def settings_file(isolated_settings, monkeypatch) -> Path:
    """$GANLAB_SETTINGS names an INI file (in a folder not made yet): the app reads and writes settings there."""
    path = isolated_settings / "env" / "ganlab.ini"
    monkeypatch.setenv(SETTINGS_ENV, str(path))
    return path


# ===================================================================== windows
@pytest.fixture
def make_window(qtbot, isolated_settings):
    """A factory of MainWindows (napari's make_napari_viewer pattern):

        make_window(values=None, *, config=None, deferred=False, show=True, size=None, active=False,
                    close_within=None) -> MainWindow

    The window has helpers.SMALL (or `config`) with `values` on top. Shown, it has drawn its first frame
    (unless deferred: no worker yet); `active` waits until it is the active window (for key clicks). After the
    test every window made is closed and its training thread must have stopped (within `close_within`
    seconds, if given); a window the test closed itself is closed again, harmlessly.
    """
    made = []

    def make(values: dict | None = None, *, config=None, deferred: bool = False, show: bool = True,
             size: tuple[int, int] | None = None, active: bool = False, close_within: float | None = None):
        w = new_window(values, config, deferred)
        qtbot.addWidget(w)
        made.append((w, close_within))
        if size is not None:
            w.resize(*size)
        if show:
            show_window(w, active=active)
        return w

    yield make
    problems = [p for w, within in made for p in close_window(w, within)]
    assert not problems, "\n".join(problems)
