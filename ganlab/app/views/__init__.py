"""The app's pyqtgraph views. They only read Snapshots (ganlab.core.snapshot); they never train.

Each is a SnapshotView (protocol.py): update_snapshot, clear, set_scale and scale.
"""

from .curves_view import CurvesView
from .field_view import FieldView
from .theory_view import TheoryView

__all__ = ["CurvesView", "FieldView", "TheoryView"]
