"""The portal's form renderer: every field of every form is drawn by templates/field.html
(label, input or fieldset, help text, errors wired to aria attributes), through Django 5's
`field_template_name`, so `{{ field.as_field_group }}` looks the same everywhere."""
from django.forms.renderers import TemplatesSetting


# TemplatesSetting renders with the project's TEMPLATES, so templates/field.html is found.
class PortalFormRenderer(TemplatesSetting):
    field_template_name = "field.html"
