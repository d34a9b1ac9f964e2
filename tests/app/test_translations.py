"""The Russian user interface: the catalog is complete and in step with the code, the compiled .qm matches
it, the language is chosen at start (argument, GANLAB_LANG, saved choice, system locale), a window built
under the Russian translator shows Russian texts, and View > Language switches a live window and is saved.

A new user-visible string wrapped in tr()/translate() without a Russian translation fails
test_catalog_lists_exactly_the_strings_in_the_code (run packaging/i18n/update_translations.sh, translate the
unfinished messages in resources/i18n/ganlab_ru.ts, run it again).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QTranslator
from PySide6.QtWidgets import QDockWidget, QGroupBox

from ganlab import resources
from ganlab.app import language

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "ganlab_ru.ts"
PLACEHOLDER = re.compile(r"\{\d+(?::[^{}]*)?\}")
MNEMONIC = re.compile(r"&[^&\s]")


def messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    """(context, source, <translation> element) of every message of a .ts file."""
    root = ET.parse(path).getroot()
    return [(ctx.findtext("name") or "", msg.findtext("source") or "", msg.find("translation"))
            for ctx in root.iter("context") for msg in ctx.iter("message")]


def lupdate_tool() -> str | None:
    for candidate in (Path(sys.executable).parent / "pyside6-lupdate", shutil.which("pyside6-lupdate")):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    return None


# ------------------------------------------------------------------------------------------- the catalog
def test_every_message_has_a_finished_russian_translation():
    msgs = messages(TS)
    assert len(msgs) > 200
    problems = []
    for ctx, src, tr in msgs:
        text = tr.text if tr is not None else None
        if tr is None or tr.get("type") is not None or not text or not text.strip():
            problems.append(f"{ctx}: {src!r} has no finished translation")
            continue
        if sorted(PLACEHOLDER.findall(src)) != sorted(PLACEHOLDER.findall(text)):
            problems.append(f"{ctx}: {src!r} -> {text!r}: the {{n}} placeholders differ")
        if bool(MNEMONIC.search(src)) != bool(MNEMONIC.search(text)):
            problems.append(f"{ctx}: {src!r} -> {text!r}: the & mnemonic is missing or extra")
        if src != src.strip() and (src[0].isspace(), src[-1].isspace()) != (text[0].isspace(), text[-1].isspace()):
            problems.append(f"{ctx}: {src!r} -> {text!r}: the surrounding spaces differ")
        if src.count("\n") != text.count("\n"):
            problems.append(f"{ctx}: {src!r} -> {text!r}: the line breaks differ")
    assert not problems, "\n".join(problems)


def test_catalog_lists_exactly_the_strings_in_the_code(tmp_path):
    tool = lupdate_tool()
    if tool is None:
        pytest.skip("pyside6-lupdate is not installed")
    # the same sources as packaging/i18n/update_translations.sh: the app, and the core modules it lists
    core = [line.strip() for line in (ROOT / "packaging" / "i18n" / "core_sources.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    sources = sorted([*(str(p) for p in (ROOT / "ganlab" / "app").rglob("*.py")), *(str(ROOT / f) for f in core)])
    out = tmp_path / "fresh.ts"
    subprocess.run([tool, "-no-obsolete", "-locations", "none", "-source-language", "en", "-target-language", "ru",
                    *sources, "-ts", str(out)], check=True, capture_output=True, timeout=120)
    in_code = {(c, s) for c, s, _ in messages(out)}
    in_catalog = {(c, s) for c, s, _ in messages(TS)}
    assert in_code, "lupdate found no strings"
    new, gone = sorted(in_code - in_catalog), sorted(in_catalog - in_code)
    assert not new and not gone, (
        "resources/i18n/ganlab_ru.ts is out of step with the code: run packaging/i18n/update_translations.sh "
        f"and translate.\nNot in the catalog: {new}\nNo longer in the code: {gone}")


def test_every_message_has_its_context():
    """A message without a context is a call lupdate misread: a helper like `tr(context, text)` is taken as
    tr(source, disambiguation), so the real text is never in the catalog. Write
    QCoreApplication.translate("Class", "text") (or mark the text with QT_TRANSLATE_NOOP) instead."""
    root = ET.parse(TS).getroot()
    misread = [(msg.findtext("source"), msg.findtext("comment")) for ctx in root.iter("context")
               if not ctx.findtext("name") for msg in ctx.iter("message")]
    assert not misread, f"(source, comment) of messages lupdate found without a context: {misread}"


def test_compiled_qm_matches_the_ts_and_is_found_through_resources():
    node = resources.files() / "i18n" / "ganlab_ru.qm"
    assert node.is_file()
    data = node.read_bytes()   # QTranslator reads this buffer later: it must outlive tr (a temporary was freed)
    tr = QTranslator()
    assert tr.load(data)   # also how a zipped install loads it
    stale = [(c, s) for c, s, t in messages(TS) if tr.translate(c, s) != t.text]
    assert not stale, f"ganlab_ru.qm is older than ganlab_ru.ts: run packaging/i18n/update_translations.sh: {stale}"
    del data


# ------------------------------------------------------------------------------------- choosing at start
class _Locale:
    def __init__(self, name):
        self._name = name

    def system(self):
        return self

    def name(self):
        return self._name


@pytest.fixture
def clean_language(monkeypatch, settings_file):
    """No GANLAB_LANG, settings in a temporary file, and English again afterwards."""
    monkeypatch.delenv(language.ENV, raising=False)
    yield settings_file
    language.install_translator(QCoreApplication.instance(), "en")


def test_language_comes_from_argument_env_saved_choice_then_system_locale(qapp, clean_language, monkeypatch):
    monkeypatch.setattr(language, "QLocale", _Locale("ru_RU"))
    assert language.system_language() == "ru" and language.choose_language() == "ru"
    monkeypatch.setattr(language, "QLocale", _Locale("de_DE"))
    assert language.choose_language() == "en"
    assert language.save_language("ru") and language.choose_language() == "ru"   # the saved choice
    monkeypatch.setenv(language.ENV, "en_US.UTF-8")
    assert language.choose_language() == "en"
    monkeypatch.setenv(language.ENV, "ru")
    assert language.choose_language() == "ru" and language.choose_language("en") == "en"
    assert language.install_translator(qapp) == "ru" and language.current_language() == "ru"
    assert QCoreApplication.translate("Transport", "Play") == "Пуск"
    assert qapp.property("ganlab_language") == "ru"
    assert language.install_translator(qapp, "en") == "en"
    assert QCoreApplication.translate("Transport", "Play") == "Play"
    assert [language.normalize(x) for x in ("ru_RU", "RU-ru", "en", "C", "", None)] == ["ru", "ru", "en", "en",
                                                                                       None, None]


def test_without_settings_the_choice_is_not_saved(qapp, monkeypatch):
    monkeypatch.delenv("GANLAB_SETTINGS", raising=False)   # and not the real app: never the user's settings
    assert language.saved_language() is None and not language.save_language("ru")


# ------------------------------------------------------------------------------------------- the window
def texts(w) -> dict[str, str]:
    dock = w.findChild(QDockWidget, "controls")
    groups = [g.title() for g in w.controls.findChildren(QGroupBox)]
    return {"play": w.act_play.text(), "dock": dock.windowTitle(), "group": groups[2],
            "tip": w.controls.control("opt_d.lr").toolTip(), "menu": w.menu_train.title(),
            "speed": w.speed.itemText(0), "layer": w.controls._layer_boxes["real"].text()}


ENGLISH = {"play": "Play", "dock": "Controls", "group": "Discriminator", "menu": "&Training",
           "speed": "Full speed", "layer": "Real samples"}
RUSSIAN = {"play": "Пуск", "dock": "Параметры", "group": "Дискриминатор", "menu": "&Обучение",
           "speed": "Максимальная скорость", "layer": "Реальные данные"}


def assert_language(w, lang: str) -> None:
    t = texts(w)
    expected = RUSSIAN if lang == "ru" else ENGLISH
    assert {k: t[k] for k in expected} == expected
    tip = "Скорость обучения дискриминатора" if lang == "ru" else "Learning rate of the discriminator"
    assert t["tip"].startswith(tip) and t["tip"].endswith("[opt_d.lr]")
    assert w.state.language == lang
    assert w.language_menu.actions[lang].isChecked()


def test_a_window_built_under_the_russian_translator_is_russian(qapp, clean_language, make_window):
    assert language.install_translator(qapp, "ru") == "ru"
    w = make_window(deferred=True, show=False)
    assert_language(w, "ru")
    assert w.menu_view.actions()[-1].menu() is w.language_menu.menu
    assert [a.text() for a in w.language_menu.menu.actions()] == ["English", "Русский"]
    assert w.language_menu.menu.title() == "&Язык / Language"
    assert w.statusBar().currentMessage() == "Загрузка PyTorch…"


def test_switching_from_the_menu_retranslates_the_window_and_is_saved(qapp, clean_language, make_window):
    w = make_window(deferred=True, show=False)
    assert_language(w, "en")
    w.language_menu.actions["ru"].trigger()
    assert_language(w, "ru")
    assert language.current_language() == "ru"
    assert QSettings(str(clean_language), QSettings.Format.IniFormat).value(language.KEY) == "ru"
    assert language.choose_language() == "ru"   # the next start
    assert w.statusBar().currentMessage() == "Язык интерфейса: Русский"
    lessons = getattr(w, "lesson_controller", None)
    if lessons is not None:   # the Lesson dock retranslates itself on LanguageChange
        assert lessons.panel.start_btn.text() == "Начать"
    w.language_menu.actions["en"].trigger()
    assert_language(w, "en")
    assert QSettings(str(clean_language), QSettings.Format.IniFormat).value(language.KEY) == "en"
    assert QCoreApplication.translate("Transport", "Play") == "Play"


def test_status_texts_from_the_training_thread_are_russian(qapp, qtbot, clean_language, make_window):
    language.install_translator(qapp, "ru")
    w = make_window()
    qtbot.waitUntil(lambda: w.frames_drawn > 0 and w.drawn is not None, timeout=15000)
    w._update_status()
    assert w.status_label.text().startswith("ПАУЗА на итерации 0") and "сид 0" in w.status_label.text()
    w.reset()   # the worker answers with a translated message from its own thread
    qtbot.waitUntil(lambda: w.statusBar().currentMessage().startswith("Сброс: новые сети из сида"), timeout=5000)
    w.language_menu.set_language("en")
    w._update_status()
    assert w.status_label.text().startswith("PAUSED at iteration 0")


def test_main_installs_the_translator_from_the_environment(clean_language, monkeypatch):
    """`ganlab` in a Russian environment starts in Russian (a fresh process: the app, the icon, the desktop id)."""
    env = dict(os.environ, GANLAB_LANG="ru", QT_QPA_PLATFORM="offscreen")
    code = ("import sys\n"
            "from PySide6.QtWidgets import QApplication\n"
            "from ganlab.app import main\n"
            "import ganlab.app.window as W\n"
            "class Quit(Exception): pass\n"
            "def stop(*a, **k):\n"
            "    app = QApplication.instance()\n"
            "    print(app.desktopFileName(), not app.windowIcon().isNull(), app.property('ganlab_language'),\n"
            "          app.translate('Transport', 'Play'))\n"
            "    raise Quit\n"
            "W.MainWindow = stop\n"
            "try:\n"
            "    main.run_app(['ganlab'])\n"
            "except Quit:\n"
            "    pass\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [resources.DESKTOP_ID, "True", "ru", "Пуск"]
