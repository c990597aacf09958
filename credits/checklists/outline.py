"""A checklist's sections and skills written as a short outline, the form an educator edits:

    Section: Central venous access
    Skill: Central-line dressing change | observation, return demonstration
    - Performs hand hygiene; dons mask and sterile gloves
    - Applies chlorhexidine scrub for 30 seconds and lets it dry

Each save of the outline is a new version (decision 0020).
"""
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from credits.checklists.models import ValidationMethod

METHOD_BY_NAME = {
    **{method.value: method.value for method in ValidationMethod},
    **{str(method.label).lower(): method.value for method in ValidationMethod},
    "observation": ValidationMethod.OBSERVATION.value,
    "return demonstration": ValidationMethod.RETURN_DEMONSTRATION.value,
    "verbal": ValidationMethod.VERBAL.value,
    "test": ValidationMethod.TEST.value,
}


@dataclass
class OutlineSkill:
    title: str
    methods: list[str]
    critical_steps: list[str] = field(default_factory=list)


@dataclass
class OutlineSection:
    title: str
    skills: list[OutlineSkill] = field(default_factory=list)


def outline_parse(text: str) -> list[OutlineSection]:
    """The sections of `text`; a ValidationError names the first line it cannot read."""
    sections: list[OutlineSection] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        keyword, _, rest = line.partition(":")
        keyword = keyword.strip().lower()
        if keyword == "section" and rest.strip():
            sections.append(OutlineSection(title=rest.strip()))
        elif keyword == "skill" and rest.strip():
            if not sections:
                raise ValidationError(f"Line {number}: put a “Section:” line before the first "
                                      f"skill.")
            title, _, methods = rest.partition("|")
            sections[-1].skills.append(OutlineSkill(title=title.strip(),
                                                    methods=_methods(methods, number)))
        elif line.startswith("-"):
            if not sections or not sections[-1].skills:
                raise ValidationError(f"Line {number}: a critical step (“- ...”) belongs under "
                                      f"a “Skill:” line.")
            sections[-1].skills[-1].critical_steps.append(line.lstrip("- ").strip())
        else:
            raise ValidationError(f"Line {number}: start it with “Section:”, “Skill:” or “- ”.")
    if not any(section.skills for section in sections):
        raise ValidationError("The checklist needs at least one skill.")
    empty = [section.title for section in sections if not section.skills]
    if empty:
        raise ValidationError(f"Section “{empty[0]}” has no skills.")
    return sections


def _methods(text: str, number: int) -> list[str]:
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    if not names:
        return [ValidationMethod.OBSERVATION.value]
    unknown = [name for name in names if name not in METHOD_BY_NAME]
    if unknown:
        accepted = ", ".join(str(method.label).lower() for method in ValidationMethod)
        raise ValidationError(f"Line {number}: “{unknown[0]}” is not a validation method "
                              f"({accepted}).")
    return list(dict.fromkeys(METHOD_BY_NAME[name] for name in names))
