"""Pathways: the learner's pages under /pathways/, authoring under /educator/pathways/."""
from django.urls import path

from credits.pathways import office_views, views

app_name = "pathways"

urlpatterns = [
    path("pathways/", views.pathway_list, name="pathway_list"),
    path("pathways/<slug:slug>/", views.pathway_detail, name="pathway"),
    path("pathways/<slug:slug>/join/", views.pathway_join_view, name="pathway_join"),
    path("pathways/<slug:slug>/steps/<int:step_id>/record/", views.external_record,
         name="external_record"),
    path("pathways/<slug:slug>/cohorts/<int:cohort_id>/apply/", views.application_submit,
         name="cohort_apply"),
    path("pathways/applications/<int:pk>/withdraw/", views.application_withdraw,
         name="application_withdraw"),
    path("learner-record/clr.jwt", views.learner_record_download, name="learner_record"),
    path("pathways/certificates/<int:pk>/download/", views.certificate_download,
         name="certificate_download"),
    path("pathways/certificates/<int:pk>/open-badge.jwt", views.credential_download,
         name="credential_download"),
    path("pathways/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("credentials/pathways/<uuid:uuid>/", views.credential_by_id, name="pathway_credential"),
    path("educator/pathways/", views.manage_list, name="manage_list"),
    path("educator/pathways/new/", views.manage_new, name="manage_new"),
    path("educator/pathways/<int:pk>/", views.manage_detail, name="manage"),
    path("educator/pathways/<int:pk>/groups/add/", views.manage_group_add, name="group_add"),
    path("educator/pathways/<int:pk>/steps/add/", views.manage_step_add, name="step_add"),
    path("educator/pathways/<int:pk>/steps/<int:step_id>/remove/", views.manage_step_remove,
         name="step_remove"),
    path("educator/pathways/<int:pk>/publish/", views.manage_publish, name="publish"),
    path("educator/pathways/<int:pk>/versions/new/", views.manage_version_start,
         name="version_start"),
    path("educator/pathways/<int:pk>/assign/", views.manage_assign, name="assign"),
    path("educator/pathways/<int:pk>/applications/", views.manage_applications,
         name="applications"),
    path("educator/pathways/<int:pk>/cohorts/add/", views.manage_cohort_add, name="cohort_add"),
    path("educator/pathways/<int:pk>/progress/", office_views.cohort_progress, name="progress"),
    path("educator/pathways/<int:pk>/progress.<str:fmt>", office_views.cohort_progress_download,
         name="progress_download"),
    path("educator/pathways/<int:pk>/progress/nudge/", office_views.cohort_nudge,
         name="progress_nudge"),
    path("educator/pathways/<int:pk>/applications/<int:application_id>/decide/",
         views.manage_application_decide, name="application_decide"),
]
