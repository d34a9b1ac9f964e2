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

`install(window)` adds View > Language (English / Русский). Switching at run time sets `window.language`
("en"/"ru", which the Lesson dock reads), installs or removes the translators (Qt sends every widget a
LanguageChange event: widgets with their own `changeEvent` retranslate themselves), then `retranslate_window`
walks the window and converts every text it recognises from the catalog: menus, actions and their tooltips,
the toolbar, dock and group titles, control labels and tooltips, buttons, combo box entries, spin box
texts and the status bar. Texts built with arguments ("Recorded {0} frames to {1}") are recognised by their
pattern; text that is neither in the catalog nor made of catalog texts (file names, numbers, the config's
choice names) stays as it is. The choice is saved in the settings when the app keeps settings
(`sessions.settings_enabled()`: the real app, or GANLAB_SETTINGS).
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QGroupBox,
    QLabel,
    QMenu,
    QSpinBox,
    QTabBar,
    QToolButton,
    QWidget,
)

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


def _settings():
    """The app's QSettings when this process keeps settings (see sessions.settings_enabled), else None."""
    from .sessions import open_settings, settings_enabled

    return open_settings() if settings_enabled() else None


def saved_language() -> str | None:
    s = _settings()
    if s is None:
        return None
    value = s.value(KEY, "")
    return normalize(value) if isinstance(value, str) else None


def save_language(lang: str) -> bool:
    """Remember the choice for the next start; False when this process keeps no settings."""
    s = _settings()
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
    from ganlab import resources

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


# ==================================================================== live retranslation
@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern
    order: tuple[int, ...]   # placeholder index of each regex group
    template: str            # the text in the other language, with {n} / {n:spec} placeholders


_PLACEHOLDER = re.compile(r"\{(\d+)(?::[^{}]*)?\}")


def _pattern(src: str, dst: str) -> _Pattern | None:
    """A regex for text made from `src` by str.format, and the `dst` template; None when `src` has no
    placeholder, too little fixed text to be recognised safely, or a placeholder twice."""
    parts = _PLACEHOLDER.split(src)   # literal, index, literal, index, ...
    literals, order = parts[0::2], tuple(int(i) for i in parts[1::2])
    if not order or len(set(order)) != len(order) or len("".join(literals).strip()) < 4:
        return None
    rx = "".join(re.escape(lit) + ("(.+?)" if k < len(order) else "") for k, lit in enumerate(literals))
    return _Pattern(re.compile(rx, re.DOTALL), order, dst)


@dataclass
class Converter:
    """Converts displayed texts from one language to the other with the catalog's pairs."""

    table: dict[str, str]
    patterns: list[_Pattern]

    def __post_init__(self):
        self._keys = sorted((k for k in self.table if len(k) >= 2), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        if not text:
            return text
        hit = self.table.get(text)
        if hit is not None:
            return hit
        out, i, n = [], 0, len(text)
        while i < n:
            end = text.find("\n", i)
            end = n if end < 0 else end
            best, best_len = None, 0
            pat = self._match_pattern(text[i:end])
            if pat is not None:
                best, best_len = pat, end - i
            for k in self._keys:   # longest first: a catalog text at the start of this line
                if len(k) <= best_len:
                    break
                j = i + len(k)
                if text.startswith(k, i) and (j == n or text[j] in "\n (["):
                    best, best_len = self.table[k], len(k)
                    break
            if best is None:          # unknown: keep this line (and its newline) as it is
                out.append(text[i:end + 1])
                i = end + 1
            else:
                out.append(best)
                i += best_len
        return "".join(out)

    def _match_pattern(self, line: str) -> str | None:
        if not line:
            return None
        hit = self.table.get(line)
        if hit is not None:
            return hit
        for p in self.patterns:
            m = p.regex.fullmatch(line)
            if m:
                args = {idx: self(m.group(g + 1)) for g, idx in enumerate(p.order)}
                return _PLACEHOLDER.sub(lambda mm, a=args: a.get(int(mm.group(1)), mm.group(0)), p.template)
        return None


@lru_cache(maxsize=4)
def catalog_pairs(lang: str) -> tuple[tuple[str, str, str], ...]:
    """(context, English source, translation) of every finished message in resources/i18n/ganlab_<lang>.ts."""
    node = catalog_file(lang, "ts")
    if not node.is_file():
        return ()
    root = ET.fromstring(node.read_bytes())
    out = []
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            src, tr = msg.find("source"), msg.find("translation")
            if src is None or tr is None or not (tr.text or "") or tr.get("type") in ("unfinished", "obsolete",
                                                                                        "vanished"):
                continue
            out.append((name, src.text or "", tr.text or ""))
    return tuple(out)


@lru_cache(maxsize=8)
def converter(from_lang: str, to_lang: str) -> Converter:
    """The Converter from texts shown in `from_lang` to `to_lang` ("en" is the source language)."""
    pairs: list[tuple[str, str]] = []
    if from_lang == DEFAULT and to_lang != DEFAULT:
        pairs = [(s, t) for _, s, t in catalog_pairs(to_lang)]
    elif to_lang == DEFAULT and from_lang != DEFAULT:
        pairs = [(t, s) for _, s, t in catalog_pairs(from_lang)]
    elif from_lang != to_lang:   # between two translations, through English
        back = {t: s for _, s, t in catalog_pairs(from_lang)}
        fwd = {s: t for _, s, t in catalog_pairs(to_lang)}
        pairs = [(t, fwd[s]) for t, s in back.items() if s in fwd]
    table: dict[str, str] = {}
    patterns = []
    for a, b in pairs:
        table.setdefault(a, b)
        p = _pattern(a, b)
        if p is not None:
            patterns.append(p)
    patterns.sort(key=lambda p: -len(p.regex.pattern))   # the most specific first
    return Converter(table, patterns)


def _convert_prop(obj, getter: str, setter: str, conv: Converter) -> None:
    old = getattr(obj, getter)()
    if isinstance(old, str) and old:
        new = conv(old)
        if new != old:
            getattr(obj, setter)(new)


def _retranslate_scene(scene, conv: Converter) -> None:
    """The plots' items: tooltips, and plain texts (reference-line labels, pyqtgraph TextItems such as the
    hover readout). Titles and captions the views draw on each update follow the new language by themselves."""
    import pyqtgraph as pg

    for item in scene.items():
        tip = item.toolTip()
        if tip:
            new = conv(tip)
            if new != tip:
                item.setToolTip(new)
        if isinstance(item, QGraphicsSimpleTextItem) or (isinstance(item, pg.TextItem)
                                                         and not isinstance(item, pg.InfLineLabel)):
            old = item.text() if isinstance(item, QGraphicsSimpleTextItem) else item.toPlainText()
            new = conv(old)
            if new != old:
                item.setText(new)


def retranslate_window(window, from_lang: str, to_lang: str) -> None:
    """Convert every recognised text of `window` from `from_lang` to `to_lang` (see the module docstring)."""
    conv = converter(from_lang, to_lang)
    if not conv.table:
        return
    seen: set[int] = set()

    def action(a: QAction) -> None:
        if id(a) in seen or a.isSeparator():
            return
        seen.add(id(a))
        old_text = a.text()
        derived_tip = a.toolTip() == old_text.replace("&", "")
        menu = a.menu()
        if isinstance(menu, QMenu):
            _convert_prop(menu, "title", "setTitle", conv)
        else:
            _convert_prop(a, "text", "setText", conv)
        if not derived_tip:   # a tooltip set of its own (else Qt derives it from the text)
            _convert_prop(a, "toolTip", "setToolTip", conv)
        for name in ("statusTip", "whatsThis"):
            _convert_prop(a, name, "set" + name[0].upper() + name[1:], conv)
        group = a.property("shortcut_group")
        if isinstance(group, str) and group:
            a.setProperty("shortcut_group", conv(group))

    for a in window.findChildren(QAction):
        action(a)
    for w in [window, *window.findChildren(QWidget)]:
        for a in w.actions():
            action(a)
        for name in ("windowTitle", "toolTip", "statusTip", "whatsThis"):
            _convert_prop(w, name, "set" + name[0].upper() + name[1:], conv)
        if isinstance(w, QLabel):
            if "<" not in w.text():   # rich text is built by its owner
                _convert_prop(w, "text", "setText", conv)
        elif isinstance(w, QToolButton) and w.defaultAction() is not None:
            pass   # follows its action
        elif isinstance(w, QAbstractButton):
            _convert_prop(w, "text", "setText", conv)
        elif isinstance(w, QGroupBox):
            _convert_prop(w, "title", "setTitle", conv)
        elif isinstance(w, QComboBox):
            # Only lists made of catalog texts (the speeds): others hold config values that code looks up.
            items = [w.itemText(i) for i in range(w.count())]
            if items and all(t in conv.table for t in items):
                for i, t in enumerate(items):
                    w.setItemText(i, conv.table[t])
        elif isinstance(w, QAbstractSpinBox):
            _convert_prop(w, "specialValueText", "setSpecialValueText", conv)
            if isinstance(w, (QSpinBox, QDoubleSpinBox)):
                _convert_prop(w, "prefix", "setPrefix", conv)
                _convert_prop(w, "suffix", "setSuffix", conv)
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                w.setTabText(i, conv(w.tabText(i)))
                w.setTabToolTip(i, conv(w.tabToolTip(i)))
        elif isinstance(w, QGraphicsView) and w.scene() is not None:
            _retranslate_scene(w.scene(), conv)
    bar = window.statusBar() if hasattr(window, "statusBar") else None
    if bar is not None and bar.currentMessage():
        bar.showMessage(conv(bar.currentMessage()), MESSAGE_MS)


# ==================================================================== the menu
class LanguageMenu(QObject):
    """View > Language: one checkable action per language; `window.language_menu` holds it."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.menu = QMenu(QCoreApplication.translate("Language", "&Language / Язык"), window)
        self.menu.setObjectName("language_menu")
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        for code, name in LANGUAGES:
            a = QAction(name, window)
            a.setCheckable(True)
            a.setData(code)
            a.setChecked(code == window_language(window))
            a.triggered.connect(lambda checked=False, c=code: self.set_language(c))
            self.group.addAction(a)
            self.menu.addAction(a)
            self.actions[code] = a
        self.last_saved = False

    def set_language(self, lang: str, persist: bool = True) -> str:
        """Switch the whole app to `lang` now, and remember it for the next start."""
        w = self.window
        lang = normalize(lang) or DEFAULT
        old = window_language(w)
        if lang != old or lang != current_language():
            w.language = lang                      # read by the Lesson dock on LanguageChange
            lang = install_translator(QCoreApplication.instance(), lang)
            w.language = lang
            if lang != old:
                retranslate_window(w, old, lang)
        for code, a in self.actions.items():
            a.setChecked(code == lang)
        if persist:
            self.last_saved = save_language(lang)
        name = dict(LANGUAGES)[lang]
        w.statusBar().showMessage(QCoreApplication.translate("Language", "Language: {0}").format(name), MESSAGE_MS)
        return lang


def window_language(window) -> str:
    return normalize(getattr(window, "language", None)) or DEFAULT


def install(window) -> LanguageMenu:
    """View > Language; sets `window.language` to the installed language when the window has none."""
    if getattr(window, "language", None) is None:
        window.language = current_language()
    lm = LanguageMenu(window)
    window.language_menu = lm
    window.menu_view.addSeparator()
    window.menu_view.addMenu(lm.menu)
    return lm
