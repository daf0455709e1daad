"""Fail when a user-facing string has no Chinese translation or the compiled file is stale.

Re-extracts the messages from the source (so a new string without a translation shows
up as untranslated), counts what msgfmt reports, restores the catalogue, and checks that
the committed .mo equals a fresh compile of the committed .po.
"""

import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
PYTHON = sys.executable


def msgfmt_statistics(po: Path) -> str:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stderr.strip()


def main() -> int:
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "saved"
        shutil.copytree(CATALOGUE, saved)
        try:
            subprocess.run(
                [
                    PYTHON,
                    "manage.py",
                    "makemessages",
                    "-l",
                    "zh_Hans",
                    "--no-obsolete",
                    "--ignore",
                    ".venv",
                    "--ignore",
                    "static/vendor",
                    "--ignore",
                    "scripts",
                    "--ignore",
                    "tests",
                ],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            for po in sorted(CATALOGUE.glob("*.po")):
                stats = msgfmt_statistics(po)
                print(f"{po.name}: {stats}")
                if "untranslated" in stats or "fuzzy" in stats:
                    failures.append(f"{po.name} has untranslated or fuzzy messages: {stats}")
        finally:
            shutil.rmtree(CATALOGUE)
            shutil.copytree(saved, CATALOGUE)
        for po in sorted(CATALOGUE.glob("*.po")):
            fresh = Path(tmp) / (po.stem + ".mo")
            subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True)
            if not filecmp.cmp(fresh, po.with_suffix(".mo"), shallow=False):
                failures.append(f"{po.with_suffix('.mo').name} is stale: run `make messages`")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
