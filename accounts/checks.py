"""System checks: every registered email kind can be rendered."""
from django.core import checks
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from accounts.notifications import KINDS


@checks.register(checks.Tags.templates)
def email_kind_templates_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Each kind needs its subject, plain-text and HTML templates (accounts.emails renders all
    three), so a kind registered without them fails `manage.py check` instead of a send."""
    problems = []
    for name in sorted(KINDS):
        for template in (f"emails/{name}_subject.txt", f"emails/{name}.txt",
                         f"emails/{name}.html"):
            try:
                get_template(template)
            except TemplateDoesNotExist:
                problems.append(checks.Error(
                    f"Email kind {name!r} has no template {template}.",
                    hint="Add the template, or stop registering the kind.",
                    obj=name, id="accounts.E001"))
    return problems
