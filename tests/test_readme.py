"""README's two set-up commands stay true: CI runs exactly the README's test command."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _ci_test_command() -> str:
    lines = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text().splitlines()]
    return [ln for ln in lines if ln and not ln.startswith("#")][-1]


def test_ci_runs_the_readme_test_command():
    cmd = _ci_test_command()
    assert "pytest" in cmd and "constraints.txt" in cmd
    assert cmd in (ROOT / "README.md").read_text()


def test_readme_install_command_runs_the_app_and_a_headless_run():
    readme = (ROOT / "README.md").read_text()
    run_line = next(ln for ln in readme.splitlines() if "ganlab run --preset" in ln and "pip install" in ln)
    assert "-c constraints.txt" in run_line and run_line.rstrip().endswith(".venv/bin/ganlab")


def test_constraints_pin_cpu_torch_and_a_pyside6_that_works_on_311():
    pins = dict(ln.split("==") for ln in (ROOT / "constraints.txt").read_text().splitlines()
                if "==" in ln and not ln.startswith("#"))
    assert pins["torch"] == "2.13.0"
    assert pins["PySide6-Essentials"] != "6.12.0" and pins["shiboken6"] == pins["PySide6-Essentials"]
