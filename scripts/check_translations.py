"""Fail unless the Polish catalogue holds every source string, translated, and is compiled.

1. Runs `makemessages -l pl` in a scratch copy of the project, so the working tree is left
   alone, and fails on any untranslated or fuzzy entry: a new source string that nobody
   translated shows up here.
2. Compiles the committed .po and compares it with the committed .mo.
3. The English catalogue (locale/en) holds only overrides of allauth's and Django's own English
   texts: it must be translated, compiled, and name only msgids that allauth or Django still
   have (an override left behind by an upgrade would let the old wording come back unseen).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = Path("locale/pl/LC_MESSAGES/django.po")
MO = PO.with_suffix(".mo")
EN_PO = Path("locale/en/LC_MESSAGES/django.po")
IGNORE = shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "__pycache__", "*.pyc")


def entries(po_file: Path, flag: str) -> str:
    result = subprocess.run(
        ["msgattrib", flag, "--no-wrap", str(po_file)],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def msgids(po_file: Path) -> set[str]:
    """The msgids of a catalogue (with their context, as gettext keys them), header left out."""
    ids: set[str] = set()
    entry = re.compile(r'^(?:msgctxt (".*"\n(?:".*"\n)*))?msgid (".*"\n(?:".*"\n)*)', re.M)
    for match in entry.finditer(po_file.read_text("utf-8")):
        context, text = (
            "".join(ast.literal_eval(line) for line in part.splitlines()) if part else None
            for part in match.groups()
        )
        if text:
            ids.add(f"{context}\x04{text}" if context else text)
    return ids


def check_english(compiled: Path) -> list[str]:
    import allauth
    import django

    problems = []
    for flag, what in [("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")]:
        found = [m for m in entries(ROOT / EN_PO, flag).splitlines() if m.startswith("msgid ")]
        if [m for m in found if m != 'msgid ""']:
            problems.append(f"{EN_PO} has {what} entries: {found}")
    upstream: set[str] = set()
    for package in (allauth, django):
        for po_file in Path(package.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po"):
            upstream |= msgids(po_file)
    if stale := sorted(msgids(ROOT / EN_PO) - upstream):
        problems.append(f"{EN_PO} overrides msgids allauth and Django no longer have: {stale}")
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(ROOT / EN_PO)], check=True)
    en_mo = ROOT / EN_PO.with_suffix(".mo")
    if not en_mo.exists() or compiled.read_bytes() != en_mo.read_bytes():
        problems.append(f"{en_mo.relative_to(ROOT)} is not the compiled {EN_PO}.")
    return problems


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
        problems += check_english(Path(tmp) / "django-en.mo")

    if problems:
        print("Translation check failed:\n" + "\n".join(problems))
        print("Run `make messages`, translate, then `make compile-messages`.")
        return 1
    print("Polish catalogue: complete and compiled; English overrides: current and compiled.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
