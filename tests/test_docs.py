"""The docs stay true of the code: links resolve, named paths exist, every setting read from
the environment is documented, and the layer lists match the import-linter contracts."""
import re
import tomllib
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

DOCS = sorted([PROJECT_ROOT / "README.md", PROJECT_ROOT / "CONTRIBUTING.md",
               *(PROJECT_ROOT / "docs").rglob("*.md")])
FENCE = re.compile(r"^(```|~~~)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\n]+)`")
# Paths named in backticks under these folders must exist (placeholders such as <id> aside).
CHECKED_FOLDERS = ("accounts", "bench", "courses", "cpd_portal", "credits", "docs", "static",
                   "templates", "tests")
SETTINGS_READ = re.compile(r"\b[eE]nv(?:\(\))?\.\w+\(\s*\"([A-Z][A-Z0-9_]*)\"")
SSO_READ = re.compile(r"f\"\{prefix\}([A-Z_]+)\"")


def _prose(path: Path) -> list[str]:
    """The file's lines outside fenced code blocks."""
    lines, fenced = [], False
    for line in path.read_text().splitlines():
        if FENCE.match(line.strip()):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def _anchors(path: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats
    numbered."""
    seen: dict[str, int] = {}
    anchors = set()
    for line in _prose(path):
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*$", line)
        if not heading:
            continue
        slug = re.sub(r"[^\w\- ]", "", heading.group(1).lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _name(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT))


def _section(path: Path, heading: str) -> list[str]:
    lines = _prose(path)
    start = lines.index(heading)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))
    return lines[start + 1:end]


def _layer_contracts() -> dict[str, list[str]]:
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {",".join(contract.get("containers", [])): contract["layers"]
            for contract in config["contracts"] if contract["type"] == "layers"}


def _as_sets(layers: list[str]) -> list[set[str]]:
    return [{name.strip() for name in layer.split("|")} for layer in layers]


@pytest.mark.parametrize("doc", DOCS, ids=_name)
def test_every_relative_link_points_at_an_existing_file_and_heading(doc):
    broken = []
    for line in _prose(doc):
        for target in LINK.findall(line):
            if re.match(r"^[a-z]+:", target):
                continue  # http:, https:, mailto:
            path_part, _, anchor = target.partition("#")
            linked = (doc.parent / path_part).resolve() if path_part else doc
            if not linked.exists():
                broken.append(f"{target}: no such file")
            elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
                broken.append(f"{target}: no heading #{anchor} in {_name(linked)}")
    assert not broken, f"{_name(doc)} has broken links:\n" + "\n".join(broken)


@pytest.mark.parametrize("doc", DOCS, ids=_name)
def test_every_path_named_in_backticks_exists(doc):
    missing = []
    for line in _prose(doc):
        for code in CODE.findall(line):
            path = code.split(" ")[0].rstrip(",.:;")
            if (path.startswith(tuple(f"{folder}/" for folder in CHECKED_FOLDERS))
                    and not re.search(r"[<>*…]|\.\.\.|NNNN", path)
                    and not (PROJECT_ROOT / path).exists()):
                missing.append(path)
    assert not missing, f"{_name(doc)} names paths that do not exist: {sorted(set(missing))}"


def test_every_environment_variable_the_settings_read_is_in_the_configuration_page():
    page = (PROJECT_ROOT / "docs" / "configuration.md").read_text()
    settings = (PROJECT_ROOT / "cpd_portal" / "settings.py").read_text()
    sso = (PROJECT_ROOT / "accounts" / "sso" / "config.py").read_text()
    names = set(SETTINGS_READ.findall(settings)) | {"SSO_PROVIDERS"} | {
        f"SSO_<NAME>_{suffix}" for suffix in SSO_READ.findall(sso)}
    assert len(names) > 50  # the patterns still find what settings.py reads
    undocumented = sorted(name for name in names if f"`{name}`" not in page)
    assert not undocumented, f"docs/configuration.md does not describe {undocumented}"


def test_the_app_layers_are_listed_in_the_contract_order():
    apps = _layer_contracts()[""]  # top first, as pyproject.toml lists them
    architecture = " ".join(_section(PROJECT_ROOT / "docs" / "architecture.md",
                                     "## The layering contract"))
    contributing = " ".join(_section(PROJECT_ROOT / "CONTRIBUTING.md",
                                     "## The layering contract"))
    assert " → ".join(f"`{app}`" for app in apps) in architecture
    assert " ← ".join(f"`{app}`" for app in reversed(apps)) in contributing


@pytest.mark.parametrize("doc", ["docs/architecture.md", "CONTRIBUTING.md"])
def test_the_credits_layers_are_listed_as_the_contract_has_them(doc):
    listed = [set(CODE.findall(line))
              for line in _section(PROJECT_ROOT / doc, "## The layering contract")
              if re.match(r"^\s*\d+\. `", line)]
    assert listed == _as_sets(_layer_contracts()["credits"]), (
        f"{doc}: the numbered list of credits layers differs from pyproject.toml's contract")
