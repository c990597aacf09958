"""The demo package sits above the product: no product module imports it, not even by naming
it in a string (import_module, a dotted path), which import-linter cannot see. Only the settings
name it, as the installed app whose seed_demo command `make run` calls."""
import ast

from tests.conftest import PROJECT_ROOT

PRODUCT_PACKAGES = ("accounts", "courses", "credits", "cpd_portal")
DEMO_PACKAGE = PROJECT_ROOT / "cpd_portal" / "demo"
ALLOWED = {("cpd_portal/settings.py", "cpd_portal.demo")}  # INSTALLED_APPS


def _names_the_demo(value: str) -> bool:
    return value == "cpd_portal.demo" or value.startswith("cpd_portal.demo.")


def test_no_product_module_names_the_demo_package():
    found = []
    for package in PRODUCT_PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            if path.is_relative_to(DEMO_PACKAGE):
                continue
            relative = str(path.relative_to(PROJECT_ROOT))
            for node in ast.walk(ast.parse(path.read_text(), filename=relative)):
                if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                        and _names_the_demo(node.value) and (relative, node.value) not in ALLOWED):
                    found.append(f"{relative}:{node.lineno}: {node.value!r}")
    assert not found, found

