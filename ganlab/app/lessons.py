"""The Lessons menu and the Lesson dock: one click sets up a classroom scenario.

Choosing a lesson pauses training, applies the lesson's whole config (so its fixed seed), rebuilds the
target from the config (dragged or added modes are dropped), resets the networks, trains the lesson's
`prepare` iterations if it has any, sets the Freeze G / Freeze D controls, and shows the explanation in
the "Lesson" dock in the app's language (AppState.language). "Start" plays.

Every command goes through the window's queued commands, in order, so the worker sees exactly the run
that `ganlab.core.lessons.run_check` verifies.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from ..core.lessons import Lesson, LessonError, load_lessons
from ..core.presets import build_target
from ..core.target import TargetError


class LessonPanel(QWidget):
    """The explanation of the current lesson, with Start and Restart buttons."""

    sigStart = Signal()
    sigRestart = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.lesson: Lesson | None = None
        self.language = "en"
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setMinimumWidth(320)
        lay.addWidget(self.browser, 1)
        row = QHBoxLayout()
        self.start_btn = QPushButton()
        self.start_btn.clicked.connect(self.sigStart)
        self.restart_btn = QPushButton()
        self.restart_btn.clicked.connect(self.sigRestart)
        self.info = QLabel()
        self.info.setWordWrap(True)
        row.addWidget(self.start_btn)
        row.addWidget(self.restart_btn)
        row.addWidget(self.info, 1)
        lay.addLayout(row)
        self.retranslate()
        self.show_lesson(None)

    def retranslate(self) -> None:
        self.start_btn.setText(self.tr("Start"))
        self.start_btn.setToolTip(self.tr("Train with the lesson's settings (the same as Play)"))
        self.restart_btn.setText(self.tr("Restart lesson"))
        self.restart_btn.setToolTip(self.tr("Set the lesson up again: its settings, its seed, new networks"))

    def show_lesson(self, lesson: Lesson | None, language: str | None = None) -> None:
        if language is not None:
            self.language = language
        self.lesson = lesson
        self.start_btn.setEnabled(lesson is not None)
        self.restart_btn.setEnabled(lesson is not None)
        if lesson is None:
            self.browser.setMarkdown(self.tr("Choose a lesson from the **Lessons** menu."))
            self.info.setText("")
            return
        self.browser.setMarkdown(f"## {lesson.order}. {lesson.title(self.language)}\n\n{lesson.text(self.language)}")
        self.info.setText(self.tr("seed {0}").format(lesson.seed))

    def text(self) -> str:
        """The explanation as shown (plain text)."""
        return self.browser.toPlainText()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class LessonController(QObject):
    """Owns the Lessons menu's entries (menus/lessons_menu.py places them) and the Lesson dock of one window."""

    def __init__(self, window, lessons: list[Lesson]):
        super().__init__(window)
        self.window = window
        self.state = window.state
        self.lessons = lessons
        self.current: Lesson | None = None
        self.panel = LessonPanel()
        self.dock = QDockWidget(self.tr("Lesson"), window)
        self.dock.setObjectName("lesson")  # for saveState / restoreState
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.panel.sigStart.connect(self.start)
        self.panel.sigRestart.connect(self.restart)
        self.state.language_changed.connect(self.retranslate)

        self.actions: dict[str, QAction] = {}
        for lesson in lessons:
            act = QAction(window)
            act.setData(lesson.id)
            act.triggered.connect(lambda _checked=False, l=lesson: self.apply(l))
            self.actions[lesson.id] = act
        self.toggle_action = self.dock.toggleViewAction()
        self.retranslate()

    @classmethod
    def from_files(cls, window) -> tuple[LessonController | None, str]:
        """The controller for the lessons shipped with ganlab; (None, why) when they cannot be read."""
        try:
            return cls(window, load_lessons()), ""
        except (LessonError, OSError) as e:
            return None, QCoreApplication.translate("LessonController", "Lessons could not be loaded: ") + str(e)

    @property
    def language(self) -> str:
        return self.state.language

    def retranslate(self, *_) -> None:
        lang = self.language
        for lesson in self.lessons:
            act = self.actions[lesson.id]
            act.setText(f"&{lesson.order}. {lesson.title(lang)}")
            act.setStatusTip(lesson.title(lang))
        self.dock.setWindowTitle(self.tr("Lesson"))
        self.toggle_action.setText(self.tr("Show the lesson panel"))
        self.panel.show_lesson(self.current, lang)

    def lesson(self, lesson_id: str) -> Lesson:
        for l in self.lessons:
            if l.id == lesson_id:
                return l
        raise KeyError(lesson_id)

    def apply(self, lesson: Lesson | str) -> None:
        """Set the window up for the lesson (see the module docstring)."""
        if isinstance(lesson, str):
            lesson = self.lesson(lesson)
        w = self.window
        try:
            cfg = lesson.config()
            target = build_target(cfg.target)
        except (LessonError, TargetError, ValueError) as e:
            w.statusBar().showMessage(self.tr("Could not open the lesson: ") + str(e), 10000)
            return
        self.current = lesson
        if w.worker is None:  # the window is still loading PyTorch: apply once it is ready
            w.statusBar().showMessage(self.tr("Loading PyTorch…"))
            QTimer.singleShot(100, lambda: self.apply(lesson) if self.current is lesson else None)
            return
        w.pause()
        w.history.clear()   # a new setup: the edits before it are not undone into it
        w.apply_config(cfg)
        w.commands.set_target.emit(target)  # the config's target, even if the same preset was edited
        if lesson.prepare:
            w.set_freeze(False, False)
        else:
            w.set_freeze(lesson.freeze_g, lesson.freeze_d)
        w.reset()
        if lesson.prepare:
            for _ in range(lesson.prepare):  # queued: the worker runs them before anything sent later
                w.commands.step.emit()
            w.set_freeze(lesson.freeze_g, lesson.freeze_d)
        self.panel.show_lesson(lesson, self.language)
        self.dock.show()
        self.dock.raise_()
        w.statusBar().showMessage(self.tr("Lesson {0}: {1} (seed {2}). Press Start.").format(
            lesson.order, lesson.title(self.language), lesson.seed), 8000)

    def start(self) -> None:
        self.window.play()

    def restart(self) -> None:
        if self.current is not None:
            self.apply(self.current)
