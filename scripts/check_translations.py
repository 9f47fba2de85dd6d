"""Fail unless the Polish catalogue holds every source string, translated, and is compiled.

1. Runs `makemessages -l pl` in a scratch copy of the project, so the working tree is left
   alone, and fails on any untranslated or fuzzy entry: a new source string that nobody
   translated shows up here.
2. Compiles the committed .po and compares it with the committed .mo.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = Path("locale/pl/LC_MESSAGES/django.po")
MO = PO.with_suffix(".mo")
IGNORE = shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "__pycache__", "*.pyc")


def entries(po_file: Path, flag: str) -> str:
    result = subprocess.run(
        ["msgattrib", flag, "--no-wrap", str(po_file)],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def main() -> int:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(ROOT, copy, ignore=IGNORE)
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "pl",
                "--no-obsolete",
                "--no-location",
                "--ignore=docs",
            ],
            cwd=copy,
            check=True,
            capture_output=True,
        )
        regenerated = copy / PO
        for flag, what in [("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")]:
            found = entries(regenerated, flag)
            msgids = [line for line in found.splitlines() if line.startswith("msgid ")]
            # The header entry (msgid "") is not a message.
            msgids = [m for m in msgids if m != 'msgid ""']
            if msgids:
                problems.append(f"{len(msgids)} {what} strings in {PO}:\n  " + "\n  ".join(msgids))

        compiled = Path(tmp) / "django.mo"
        subprocess.run(
            ["msgfmt", "--check-format", "-o", str(compiled), str(ROOT / PO)], check=True
        )
        if not (ROOT / MO).exists() or compiled.read_bytes() != (ROOT / MO).read_bytes():
            problems.append(f"{MO} is not the compiled {PO}: run `make compile-messages`.")

    if problems:
        print("Translation check failed:\n" + "\n".join(problems))
        print("Run `make messages`, translate, then `make compile-messages`.")
        return 1
    print("Polish catalogue: complete and compiled.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
