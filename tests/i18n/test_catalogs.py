"""The committed translations: every message translated, nothing fuzzy, and each compiled .mo
what msgfmt makes of its .po today, so `make run` needs no gettext and shows what was reviewed."""
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGS = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="GNU gettext's msgfmt is not installed "
                                  "(Debian package gettext; .ci/run installs it)")


def test_there_is_a_catalog_for_every_language_but_english():
    folders = {path.parent.parent.name for path in CATALOGS}
    assert folders == {"es", "pt_BR"}
    assert [code for code, _name in settings.LANGUAGES] == ["en", "es", "pt-br"]


@needs_msgfmt
@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda path: path.parent.parent.name)
def test_every_message_is_translated_and_the_compiled_catalog_is_current(catalog, tmp_path):
    compiled = tmp_path / "django.mo"
    result = subprocess.run([MSGFMT, "--check-format", "--statistics", "-o", str(compiled),
                             str(catalog)], capture_output=True, text=True, check=True)
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    committed = catalog.with_suffix(".mo")
    assert committed.read_bytes() == compiled.read_bytes(), (
        f"{committed} is stale: run `make messages` and commit the .po and .mo files")
