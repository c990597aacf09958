"""The runtime files under static/vendor/ that come from npm are the locked package's own bytes
(`make vendor` copies them; `make test` installs the lock into node_modules/ first)."""
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCORM_AGAIN = ["scorm12.min.js", "scorm2004.min.js", "cross-frame-api.min.js",
               "cross-frame-lms.min.js"]


def _installed(package: str) -> Path:
    folder = ROOT / "node_modules" / package
    if not folder.is_dir():
        pytest.skip("node_modules is not installed (make test installs it)")
    return folder


def test_the_lock_pins_the_version_package_json_asks_for():
    wanted = json.loads((ROOT / "package.json").read_text())["dependencies"]
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for name, version in wanted.items():
        assert locked[f"node_modules/{name}"]["version"] == version


@pytest.mark.parametrize("name", [*SCORM_AGAIN, *(f"{name}.map" for name in SCORM_AGAIN)])
def test_vendored_scorm_again_is_the_locked_package(name):
    folder = _installed("scorm-again")
    version = json.loads((folder / "package.json").read_text())["version"]
    readme = (ROOT / "static" / "vendor" / "README.md").read_text()
    assert f"| scorm-again (npm) | {version} | MIT |" in readme
    vendored = ROOT / "static" / "vendor" / "scorm-again" / name
    assert vendored.read_bytes() == (folder / "dist" / name).read_bytes(), (
        f"static/vendor/scorm-again/{name} differs from the locked package: run make vendor")


WORKBOX = ["workbox-core", "workbox-routing", "workbox-strategies", "workbox-background-sync"]


@pytest.mark.parametrize("module", WORKBOX)
@pytest.mark.parametrize("suffix", [".prod.js", ".prod.js.map"])
def test_vendored_workbox_is_the_locked_package(module, suffix):
    folder = _installed(module)
    version = json.loads((folder / "package.json").read_text())["version"]
    readme = (ROOT / "static" / "vendor" / "README.md").read_text()
    assert f"(npm) | {version} | MIT |" in readme and module in readme
    name = module + suffix
    vendored = ROOT / "static" / "vendor" / "workbox" / name
    assert vendored.read_bytes() == (folder / "build" / name).read_bytes(), (
        f"static/vendor/workbox/{name} differs from the locked package: run make vendor")
