"""The Lessons menu and the Lesson dock: choosing a lesson reaches the window, the controls and the worker's
trainer (waited for with qtbot.waitUntil: the commands are queued into the training thread), shows the
explanation in the app's language, and Start plays.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QDockWidget, QTextBrowser

from ganlab.app import lessons as app_lessons
from ganlab.core.lessons import load_lessons
from ganlab.core.presets import build_target
from ganlab.core.trainer import Trainer

LESSONS = load_lessons()


@pytest.fixture
def win(settings_file, make_window):
    return make_window()  # with settings, kept in a temporary INI file


def lesson_actions(w):
    return [a for a in w.menu_lessons.actions() if isinstance(a.data(), str) and a.data()]


def choose(qtbot, w, lesson):
    """Pick the lesson from the menu; wait until the worker runs it (config, target, iteration, freeze flags)."""
    act = next(a for a in lesson_actions(w) if a.data() == lesson.id)
    act.trigger()
    cfg = lesson.config()
    t = w.worker.trainer
    qtbot.waitUntil(lambda: t.config == cfg and t.iteration == lesson.prepare
                    and (t.freeze_g, t.freeze_d) == (lesson.freeze_g, lesson.freeze_d)
                    and np.array_equal(t.target.means, build_target(cfg.target).means), timeout=20000)
    return cfg


def test_menu_lists_the_seven_lessons_in_order(win):
    acts = lesson_actions(win)
    assert [a.data() for a in acts] == [l.id for l in LESSONS] and len(acts) == 7
    for i, (a, l) in enumerate(zip(acts, LESSONS, strict=True), start=1):
        assert a.text() == f"&{i}. {l.title('en')}"
    ctl = win.lesson_controller
    assert ctl.toggle_action in win.menu_lessons.actions()
    dock = win.findChild(QDockWidget, "lesson")
    assert dock is ctl.dock and dock.isHidden()  # shown when a lesson is chosen


def test_choosing_each_lesson_sets_window_worker_and_panel(qtbot, win):
    ctl = win.lesson_controller
    for lesson in LESSONS:
        cfg = choose(qtbot, win, lesson)
        assert win.config == cfg
        assert win.controls.freeze_state() == (lesson.freeze_g, lesson.freeze_d)
        assert win.worker.trainer.config.train.seed == lesson.seed
        assert ctl.current == lesson and ctl.dock.isVisible()
        shown = ctl.panel.browser.toPlainText()
        assert lesson.title("en") in shown
        first_paragraph = lesson.text("en").split("\n\n")[0]
        assert first_paragraph.replace("**", "").split()[:6] == shown.split("\n", 1)[1].split()[:6]
        qtbot.waitUntil(lambda l=lesson: win.worker.latest.iteration == l.prepare
                        and win.worker.latest.freeze_g == l.freeze_g, timeout=10000)


def test_theory_lesson_freezes_g_after_its_preparation(qtbot, win):
    lesson = next(l for l in LESSONS if l.id == "theory-check")
    choose(qtbot, win, lesson)
    t = win.worker.trainer
    assert (t.freeze_g, t.freeze_d) == (True, False) and t.iteration == 200
    assert win.controls.freeze_state() == (True, False)
    g0 = [p.detach().clone() for p in t.G.parameters()]
    # the class sees the run that the check verified: the same G after the same 200 iterations, headless
    ref = Trainer(lesson.config())
    ref.step(lesson.prepare)
    assert all(np.array_equal(a, b.detach()) for a, b in zip(g0, ref.G.parameters(), strict=True))
    d0 = [p.detach().clone() for p in t.D.parameters()]
    win.lesson_controller.panel.start_btn.click()  # Start plays
    qtbot.waitUntil(lambda: win.playing and t.iteration >= 260, timeout=20000)
    win.pause()
    qtbot.waitUntil(lambda: not win.playing, timeout=5000)
    assert all(np.array_equal(a, b.detach()) for a, b in zip(g0, t.G.parameters(), strict=True))  # G frozen
    assert not all(np.array_equal(a, b.detach()) for a, b in zip(d0, t.D.parameters(), strict=True))  # D learns


def test_a_lesson_replaces_an_edited_target_and_restart_sets_it_up_again(qtbot, win):
    lesson = LESSONS[0]
    cfg = choose(qtbot, win, lesson)
    win.commands.move_mode.emit(0, 0.0, 0.0)
    qtbot.waitUntil(lambda: np.allclose(win.worker.trainer.target.means[0], 0.0), timeout=5000)
    win.commands.step.emit()
    qtbot.waitUntil(lambda: win.worker.trainer.iteration == 1, timeout=5000)
    win.lesson_controller.panel.restart_btn.click()
    qtbot.waitUntil(lambda: win.worker.trainer.iteration == 0 and np.array_equal(
        win.worker.trainer.target.means, build_target(cfg.target).means), timeout=10000)


def test_panel_follows_the_app_language(qtbot, win):
    ctl = win.lesson_controller
    assert win.state.language == "en"
    lesson = LESSONS[1]
    choose(qtbot, win, lesson)
    win.state.set_language("ru")   # the app's language, as the Language menu sets it
    assert lesson.title("ru") in ctl.panel.browser.toPlainText()
    assert lesson_actions(win)[1].text() == f"&2. {lesson.title('ru')}"
    win.state.set_language("en")
    assert lesson.title("en") in ctl.panel.browser.toPlainText()


def test_every_lesson_shows_non_empty_english_and_russian_text(qtbot):
    panel = app_lessons.LessonPanel()
    qtbot.addWidget(panel)
    assert "Lessons" in panel.text() and not panel.start_btn.isEnabled()
    for lesson in LESSONS:
        for lang in ("en", "ru"):
            panel.show_lesson(lesson, lang)
            text = panel.text()
            assert lesson.title(lang) in text
            assert len(text) > len(lesson.title(lang)) + 400
            assert "**" not in text  # the Markdown was rendered
        assert panel.start_btn.isEnabled()
    assert isinstance(panel.browser, QTextBrowser)


def test_the_lesson_texts_name_the_start_button_as_it_reads_in_each_language():
    """"Press **Start**": the Russian texts said **Старт**, a button that does not exist (it reads "Начать")."""
    import xml.etree.ElementTree as ET
    from pathlib import Path

    from ganlab.core.lessons import load_lessons

    catalog = Path(__file__).resolve().parents[2] / "resources" / "i18n" / "ganlab_ru.ts"
    ru = next(m.findtext("translation") for c in ET.parse(catalog).getroot().iter("context")
              if c.findtext("name") == "LessonPanel" for m in c.iter("message") if m.findtext("source") == "Start")
    named = 0
    for lesson in load_lessons():
        en, text_ru = lesson.text("en"), lesson.text("ru")
        if "**Start**" in en:
            assert f"**{ru}**" in text_ru, lesson.id
            named += 1
        assert "**Старт**" not in text_ru and "**Пуск**" not in text_ru
    assert named >= 5
