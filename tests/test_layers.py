"""The apps import downward only: the order in pyproject.toml (and the README's "Layout")
is checked by import-linter, whose report names any import that runs back up."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_apps_import_downward_only(capsys):
    exit_code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    report = capsys.readouterr().out
    assert exit_code == 0, report
    assert "Apps import downward only KEPT" in report
