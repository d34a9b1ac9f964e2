"""The bar shown when training diverged: non-modal, with the two ways out, so the app never just stops."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


class DivergenceBanner(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setStyleSheet("background: #fde6c8; color: #4a2800;")
        lay = QHBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.reset_btn = QPushButton()
        self.lower_btn = QPushButton()
        lay.addWidget(self.label, 1)
        lay.addWidget(self.reset_btn)
        lay.addWidget(self.lower_btn)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.reset_btn.setText(self.tr("Reset"))
        self.lower_btn.setText(self.tr("Lower learning rates ÷10 and reset"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_message(self, text: str) -> None:
        self.label.setText(text)
        self.show()
