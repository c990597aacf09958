"""Find learner-facing wording a page shows in English when it is asked for in another language.

A page is rendered in English and in the other language; a piece of text (a text node or an
accessible name: aria-label, title, placeholder, alt) is untranslated when it is the same in
both, has a word in it, and is not the learner's or the course's own data (any text stored in
the database: titles, names, question stems, locations...). Text inside an element marked
lang="en" is the accreditors' required English wording, shown as such on purpose; so are the
names of the credit systems ("1.50 AMA PRA Category 1 Credits™", "ANCC contact hours"), which
are trademarks and regulators' terms. A lesson's body is the educator's Markdown: content.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR

from courses.credittypes.selectors import credit_type_catalog

ACCESSIBLE_NAME_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "source", "track", "wbr"}
SKIPPED_ELEMENTS = {"script", "style", "template", "code"}
# Words that read the same in English and in a translation (Portuguese "Menu"), and names.
# Portuguese writes "Checklists" as English does.
SAME_IN_EVERY_LANGUAGE = {"Menu", "min", "Open", "Badges", "JSON", "Checklists",
                          *settings.SITE_NAME.split()}


def credit_system_names() -> set[str]:
    """The credit types' names and units, as the office keeps them (accreditors' English)."""
    return {text for info in credit_type_catalog().values()
            for text in (info.name, info.unit_singular, info.unit_plural)}

CONTENT_CLASSES = {"lesson-body"}
AMOUNT = re.compile(r"^\d+(?:[.,]\d+)?\s+")
# A word: two lowercase letters in a row (abbreviations such as EST, PDF or MOC are not wording).
WORD = re.compile(r"[a-z]{2,}")


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.texts: list[str] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skipped = (self._skipping() or tag in SKIPPED_ELEMENTS
                   or tag != "html" and attributes.get("lang", "").startswith("en")
                   or CONTENT_CLASSES & set((attributes.get("class") or "").split())
                   or "hidden" in attributes and tag != "input")
        if not skipped:
            self.texts.extend(value for name, value in attrs
                              if name in ACCESSIBLE_NAME_ATTRIBUTES and value)
            if tag == "input" and attributes.get("type") in {"submit", "button"}:
                self.texts.append(attributes.get("value") or "")
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._skipping():
            self.texts.append(data)


def visible_texts(html: str) -> set[str]:
    collector = _TextCollector()
    collector.feed(html)
    return {" ".join(text.split()) for text in collector.texts if WORD.search(text)}


# The apps whose rows hold what learners and educators wrote; the outbox is left out, since the
# emails it keeps hold the portal's own wording.
CONTENT_APPS = {"accounts", "courses", "lessons", "questions", "disclosures", "credits", "online",
                "credittypes", "packages", "scorm", "virtual", "checklists", "pathways",
                "suggestions"}
NOT_CONTENT = {"accounts.OutgoingMessage"}
# A fragment this long of a stored text is content (a paragraph of a lesson); shorter ones must
# be a whole stored value, or "Live" would pass as a piece of "Delivered".
CONTENT_FRAGMENT_LENGTH = 40


class StoredText:
    """Every short and long text the content apps hold: whole values, their lines, and the
    whole as one text to find long fragments in."""

    def __init__(self):
        values = set()
        for model in apps.get_models():
            if (model._meta.app_label not in CONTENT_APPS
                    or model._meta.label in NOT_CONTENT):
                continue
            fields = [field.attname for field in model._meta.concrete_fields
                      if isinstance(field, models.CharField | models.TextField)]
            for row in model._default_manager.values_list(*fields) if fields else []:
                for value in filter(None, row):
                    values.add(" ".join(str(value).split()))
                    values.update(" ".join(line.split()) for line in str(value).splitlines())
        self.values = values
        self.whole = "\n".join(values)

    def __contains__(self, text: str) -> bool:
        bare = text.strip(" .,:;·()–-…")
        return (text in self.values or bare in self.values
                or len(bare) >= CONTENT_FRAGMENT_LENGTH and bare in self.whole)


def words_spelt_alike(language: str) -> set[str]:
    """Month and weekday names the language writes as English does (Spanish 'Oct', 'Dic' no)."""
    names = [*MONTHS_3.values(), *MONTHS.values(), *WEEKDAYS_ABBR.values(), *WEEKDAYS.values()]
    with translation.override("en"):
        english = {str(name).title() for name in names}
    with translation.override(language):
        return english & {str(name).title() for name in names}


def _same_in_every_language(text: str, data, alike: set[str]) -> bool:
    """Data, a credit system's name (with its amount), names, or parts of these joined by ' · '
    or ', ' (a page title 'Lesson · Course · CPD Portal', a name 'Ruth Goldberg, MD')."""
    if text in data:
        return True
    parts = [part.strip() for part in re.split(r" · |, ", text) if part.strip()]
    return all(part in data
               or AMOUNT.sub("", part).strip(" :.") in credit_system_names()
               or set(re.findall(r"[^\W\d_]+", part)) <= SAME_IN_EVERY_LANGUAGE | alike
               for part in parts)


def untranslated(*, english_html: str, translated_html: str, data,
                 language: str = "es") -> list[str]:
    english = visible_texts(english_html)
    alike = words_spelt_alike(language)
    return sorted(text for text in visible_texts(translated_html) & english
                  if not _same_in_every_language(text, data, alike))
