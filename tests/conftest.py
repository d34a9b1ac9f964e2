"""Shared by every test: this folder is on the import path (pytest puts a conftest's folder there), so the
core tests and the app tests import the same fault helpers (faults.py)."""
