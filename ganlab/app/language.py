"""English and Russian user interface through Qt's translation system.

The English texts are the source strings in the code (`self.tr(...)`, `QCoreApplication.translate(context,
...)`, `QT_TRANSLATE_NOOP`). The Russian catalog is `resources/i18n/ganlab_ru.ts` (the source, edited with Qt
Linguist or by hand), compiled to `ganlab_ru.qm`; `packaging/i18n/update_translations.sh` refreshes both
from the code. Both are loaded through `ganlab.resources` (importlib.resources), so a wheel, an editable
install and the PyInstaller bundle all find them.

At start, `install_translator(app)` picks the language (first that applies): the `lang` argument, the
GANLAB_LANG environment variable ("ru", "en", "ru_RU.UTF-8" ...), the choice saved from the menu, the system
locale (`QLocale.system().name().startswith("ru")`). It installs the QTranslators (ganlab's own catalog and
Qt's qtbase catalog for the standard dialogs and key names) before any window text exists.

LanguageMenu is View > Language (English / Русский). Switching at run time installs or removes the
translators, and Qt sends every widget a LanguageChange event: each part sets its texts again from the
source strings in its `retranslate()` (Qt's own pattern; the window calls it for the parts that are not
widgets), and AppState.language tells the Lesson dock to show the lesson's text in the new language. The
choice is saved in the settings when the app keeps settings (settings.settings_enabled(): the real app,
or GANLAB_SETTINGS).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from .settings import app_settings

ENV = "GANLAB_LANG"
KEY = "ui/language"
DEFAULT = "en"
LANGUAGES = (("en", "English"), ("ru", "Русский"))   # endonyms: never translated
CATALOG_DIR = "i18n"
CATALOG = "ganlab_{lang}"                            # resources/i18n/ganlab_ru.ts and .qm
MESSAGE_MS = 5000


@dataclass
class _State:
    language: str = DEFAULT
    translators: list = field(default_factory=list)  # installed QTranslators
    data: list = field(default_factory=list)         # .qm bytes loaded from memory: must outlive the translator


_state = _State()


# ==================================================================== choosing
def normalize(lang: str | None) -> str | None:
    """"ru", "ru_RU", "ru-RU", "RU_ru.UTF-8" -> "ru"; "en", "en_US", "C" and other languages -> "en";
    None or "" -> None (no preference)."""
    if lang is None:
        return None
    code = re.split(r"[-_.@]", str(lang).strip().lower(), maxsplit=1)[0]
    if not code:
        return None
    return code if code in dict(LANGUAGES) else DEFAULT


def system_language() -> str:
    return "ru" if QLocale.system().name().startswith("ru") else DEFAULT


def saved_language() -> str | None:
    s = app_settings()
    if s is None:
        return None
    value = s.value(KEY, "")
    return normalize(value) if isinstance(value, str) else None


def save_language(lang: str) -> bool:
    """Remember the choice for the next start; False when this process keeps no settings."""
    s = app_settings()
    if s is None:
        return False
    s.setValue(KEY, lang)
    s.sync()
    return True


def choose_language(lang: str | None = None) -> str:
    """The language to start in: `lang`, GANLAB_LANG, the saved choice, the system locale."""
    for candidate in (lang, os.environ.get(ENV)):
        code = normalize(candidate)
        if code is not None:
            return code
    return saved_language() or system_language()


def current_language() -> str:
    """The language of the installed translation ("en" when none is installed)."""
    return _state.language


# ==================================================================== translators
def catalog_file(lang: str, suffix: str = "qm"):
    """resources/i18n/ganlab_<lang>.<suffix> as a Traversable (it may not exist)."""
    from .. import resources

    return resources.files() / CATALOG_DIR / f"{CATALOG.format(lang=lang)}.{suffix}"


def _load_ganlab(lang: str) -> QTranslator | None:
    node = catalog_file(lang)
    if not node.is_file():
        return None
    tr = QTranslator()
    if isinstance(node, Path):
        ok = tr.load(str(node))
    else:  # zipped install: load from memory and keep the bytes alive
        data = node.read_bytes()
        ok = tr.load(data)
        if ok:
            _state.data.append(data)
    return tr if ok and not tr.isEmpty() else None


def _load_qt(lang: str) -> QTranslator | None:
    """Qt's own texts (file dialogs, message box buttons, key names) when Qt ships them."""
    import PySide6

    tr = QTranslator()
    folders = (QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
               str(Path(PySide6.__file__).parent / "Qt" / "translations"))   # a bundle without qt.conf
    return tr if any(tr.load(f"qtbase_{lang}", folder) for folder in folders) else None


def install_translator(app=None, lang: str | None = None) -> str:
    """Install the translators for `lang` (chosen by choose_language when None) and return the language.

    Replaces whatever this function installed before; "en" removes them (the source texts are English).
    A missing catalog leaves the app in English."""
    app = app or QCoreApplication.instance()
    lang = choose_language(lang)
    for tr in _state.translators:
        QCoreApplication.removeTranslator(tr)
    _state.translators = []
    _state.data = []
    if lang != DEFAULT:
        own = _load_ganlab(lang)
        if own is None:
            lang = DEFAULT
        else:
            qt = _load_qt(lang)
            for tr in (qt, own):  # the last installed is searched first
                if tr is not None:
                    QCoreApplication.installTranslator(tr)
                    _state.translators.append(tr)
    _state.language = lang
    if app is not None:
        app.setProperty("ganlab_language", lang)
    return lang


# ==================================================================== the menu
class LanguageMenu(QObject):
    """View > Language: one checkable action per language (menus/view_menu.py places the menu)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.menu = QMenu(window)
        self.menu.setObjectName("language_menu")
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        for code, name in LANGUAGES:
            a = QAction(name, window)   # endonyms: never translated
            a.setCheckable(True)
            a.setData(code)
            a.setChecked(code == window.state.language)
            a.triggered.connect(lambda checked=False, c=code: self.set_language(c))
            self.group.addAction(a)
            self.menu.addAction(a)
            self.actions[code] = a
        self.last_saved = False
        self.retranslate()

    def retranslate(self) -> None:
        self.menu.setTitle(QCoreApplication.translate("Language", "&Language / Язык"))

    def set_language(self, lang: str, persist: bool = True) -> str:
        """Switch the whole app to `lang` now, and remember it for the next start."""
        lang = self.window.set_language(normalize(lang) or DEFAULT)
        for code, a in self.actions.items():
            a.setChecked(code == lang)
        if persist:
            self.last_saved = save_language(lang)
        name = dict(LANGUAGES)[lang]
        self.window.statusBar().showMessage(
            QCoreApplication.translate("Language", "Language: {0}").format(name), MESSAGE_MS)
        return lang
