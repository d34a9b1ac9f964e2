"""The app's pyqtgraph views. They only read Snapshots (ganlab.core.observer); they never train."""

from .curves_view import CurvesView
from .field_view import FieldView
from .theory_view import TheoryView

__all__ = ["CurvesView", "FieldView", "TheoryView"]
