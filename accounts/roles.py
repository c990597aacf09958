"""The portal's three roles, held as Django groups with the permissions each role needs."""
from django.db import models


class Role(models.TextChoices):
    CLINICIAN = "Clinician", "Clinician"
    EDUCATOR = "Educator", "Educator"
    ADMINISTRATOR = "Administrator", "Administrator"


# Permissions granted to each role, as "app_label.codename" or "app_label.*" for every permission
# of an app; an entry starting with "-" takes one away again (credit records are never deleted).
# `manage.py migrate` (post_migrate) keeps the groups in step with this table.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CLINICIAN: [
        "accounts.view_licence",
        "accounts.add_licence",
        "accounts.change_licence",
        "accounts.delete_licence",
    ],
    Role.EDUCATOR: [],
    Role.ADMINISTRATOR: [
        "accounts.*",
        "account.*",
        "auth.view_group",
        "courses.*",
        "credits.*",
        "lessons.*",
        "questions.*",
        "disclosures.*",
        "-disclosures.delete_financialdisclosure",
        "-disclosures.delete_financialrelationship",
        "-disclosures.delete_mitigation",
        "-disclosures.delete_disclosurelink",
        "-disclosures.delete_commercialsupport",
        "packages.view_contentpackage",
        "scorm.view_scoattempt",
        "scorm.view_scocommit",
        "cmi5.view_registration",
        "cmi5.view_ausession",
        "cmi5.view_statement",
        "online.*",
        # Credit types are retired (not designable), never deleted; their history is kept.
        "credittypes.*",
        "-credittypes.delete_credittype",
        "-credittypes.add_credittypechange",
        "-credittypes.change_credittypechange",
        "-credittypes.delete_credittypechange",
        "-online.delete_posttestattempt",
        "-online.delete_attemptanswer",
        "-online.delete_extraattemptgrant",
        "pathways.*",
        "-pathways.delete_externalsteprecord",
        "-pathways.delete_pathwayenrolment",
        "-credits.delete_creditrecord",
        "checklists.*",
        "-checklists.change_skillvalidation",
        "-checklists.delete_skillvalidation",
        "-checklists.change_selfassessment",
        "-checklists.delete_selfassessment",
        "-checklists.delete_learnerchecklist",
        "-credits.add_creditrecordchange",
        "-credits.change_creditrecordchange",
        "-credits.delete_creditrecordchange",
        "mfa.view_authenticator",
        # Linked hospital sign-ins: seen, and unlinked when a person leaves the hospital.
        "socialaccount.view_socialaccount",
        "socialaccount.delete_socialaccount",
        "mfa.delete_authenticator",
        "django_celery_beat.*",
        "-accounts.delete_outgoingmessage",
        # Push: subscriptions seen (and removed for someone who asks); deliveries are a record.
        "pwa.view_pushsubscription",
        "pwa.delete_pushsubscription",
        "pwa.view_pushdelivery",
        # What went to ACCME PARS and CE Broker: an audit, read only.
        "webservices.view_submission",
        "webservices.view_submissionattempt",
    ],
}
