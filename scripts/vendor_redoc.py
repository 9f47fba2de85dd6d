"""Copy ReDoc's standalone bundle from the installed drf-spectacular-sidecar to
static/vendor/redoc/, without the Redocly logo it would fetch from cdn.redoc.ly.

Why: ReDoc's side menu ends with an "API docs by Redocly" link whose <img> is hard-wired to
https://cdn.redoc.ly/redoc/logo-mini.svg. The portal loads nothing from other hosts, so the
Content-Security-Policy blocked it: an error on the console and a CSP report on every visit of
/api/redoc/. ReDoc has no option to leave the logo out (Redocly declined one, Redocly/redoc#961;
drf-spectacular-sidecar#11 asks for a local logo), so the copy is patched:

1. the logo's ``createElement("img", {…, src: "https://cdn.redoc.ly/…"})`` becomes ``null``
   (the link and its text stay);
2. the ``sourceMappingURL`` comment goes: the map is not copied (it would no longer match), and
   collectstatic's manifest storage refuses a JS file whose map is missing.

Nothing else changes. Run it after upgrading drf-spectacular-sidecar, and commit the result:

    .venv/bin/python scripts/vendor_redoc.py           # writes static/vendor/redoc/
    .venv/bin/python scripts/vendor_redoc.py --check   # fails if the copy is not up to date

It fails loudly if a new bundle no longer has exactly one such logo, or still names
cdn.redoc.ly after the patch; tests/test_vendor_redoc.py runs ``--check``.
"""

from __future__ import annotations

import re
import sys
from importlib.metadata import version
from pathlib import Path

import drf_spectacular_sidecar

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "static" / "vendor" / "redoc"
SOURCE = Path(drf_spectacular_sidecar.__file__).parent / "static/drf_spectacular_sidecar/redoc"
BUNDLE = "redoc.standalone.js"
# Copied unchanged: ReDoc's licence, and the licences of what the bundle contains (its first
# line points to the second file by name).
LICENCES = {
    "LICENSE": SOURCE / "LICENSE",
    f"{BUNDLE}.LICENSE.txt": SOURCE / f"bundles/{BUNDLE}.LICENSE.txt",
}

# The minified names (``n.createElement``, ``t(!1)``) change between builds: matched loosely.
LOGO = re.compile(
    r'[\w$]+\.createElement\("img",\{alt:"redocly logo",onError:\(\)=>[\w$]+\(!1\),'
    r'src:"https://cdn\.redoc\.ly/redoc/logo-mini\.svg"\}\)'
)
SOURCE_MAP = re.compile(r"\n//# sourceMappingURL=\S+\s*$")


def patched(bundle: str) -> str:
    """The bundle without the remote logo and the source-map comment; raises ValueError if the
    bundle does not look as expected, so that an upgrade is looked at, not patched blindly."""
    text, logos = LOGO.subn("null", bundle)
    if logos != 1:
        raise ValueError(f"expected one Redocly logo <img> in {BUNDLE}, found {logos}")
    text, maps = SOURCE_MAP.subn("\n", text)
    if maps != 1:
        raise ValueError(f"expected one sourceMappingURL comment at the end of {BUNDLE}")
    if "cdn.redoc.ly" in text:
        raise ValueError(f"{BUNDLE} still names cdn.redoc.ly after the patch")
    header = (
        f"/* ReDoc from drf-spectacular-sidecar {version('drf-spectacular-sidecar')}, patched by "
        "scripts/vendor_redoc.py: without the Redocly logo from Redocly's CDN. */\n"
    )
    return header + text


def expected_files() -> dict[str, bytes]:
    files = {BUNDLE: patched((SOURCE / "bundles" / BUNDLE).read_text("utf-8")).encode("utf-8")}
    files.update({name: path.read_bytes() for name, path in LICENCES.items()})
    return files


def main(argv: list[str]) -> int:
    files = expected_files()
    if "--check" in argv:
        stale = [
            name
            for name, content in files.items()
            if not (TARGET / name).exists() or (TARGET / name).read_bytes() != content
        ]
        if stale:
            print(
                f"static/vendor/redoc/ is not what scripts/vendor_redoc.py makes from the "
                f"installed drf-spectacular-sidecar ({', '.join(stale)}): run the script."
            )
            return 1
        print("static/vendor/redoc/ is up to date.")
        return 0
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (TARGET / name).write_bytes(content)
    print(f"Wrote {', '.join(sorted(files))} to {TARGET.relative_to(ROOT)}/.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
