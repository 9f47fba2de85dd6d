"""static/vendor/redoc/ is ReDoc's bundle from the installed drf-spectacular-sidecar, with the
Redocly logo from cdn.redoc.ly patched out by scripts/vendor_redoc.py (docs/api.md)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "vendor_redoc.py"


def _script():
    spec = importlib.util.spec_from_file_location("vendor_redoc", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_copy_is_what_the_script_makes_from_the_installed_package() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    bundle = (ROOT / "static/vendor/redoc/redoc.standalone.js").read_text("utf-8")
    assert "cdn.redoc.ly" not in bundle
    # collectstatic's manifest storage would look for the map, which is not copied.
    assert not re.search(r"(?m)^//# sourceMappingURL=", bundle)


def test_a_bundle_whose_logo_looks_different_is_refused_not_copied_as_it_is() -> None:
    with pytest.raises(ValueError, match="expected one Redocly logo"):
        _script().patched('n.createElement("img",{src:"https://cdn.redoc.ly/x.svg"})')
