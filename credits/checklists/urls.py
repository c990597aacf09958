from django.urls import path

from credits.checklists import views
from credits.checklists.stations import views as stations

app_name = "checklists"

urlpatterns = [
    path("checklists/", views.my_checklists, name="mine"),
    path("checklists/<int:checklist_id>/start/", views.checklist_start, name="start"),
    path("checklists/mine/<int:pk>/", views.my_checklist_detail, name="mine_detail"),
    path("checklists/mine/<int:pk>/competencies.pdf", views.my_checklist_pdf, name="mine_pdf"),
    path("checklists/validate/", views.validate_search, name="validate_search"),
    path("checklists/validate/code/<str:code>/", views.validate_by_code, name="validate_code"),
    path("checklists/validate/<int:pk>/", views.validate, name="validate"),
    path("checklists/stations/", stations.station_list, name="station_list"),
    path("checklists/stations/<int:pk>/", stations.station_detail, name="station_detail"),
    path("checklists/stations/<int:pk>/learners/<int:user_id>/", stations.station_learner,
         name="station_learner"),
    path("educator/sessions/<int:session_id>/stations/", stations.station_setup,
         name="station_setup"),
    path("educator/checklists/", views.builder_list, name="builder_list"),
    path("educator/checklists/new/", views.builder_new, name="builder_new"),
    path("educator/checklists/<int:pk>/", views.builder_detail, name="builder_detail"),
    path("educator/checklists/<int:pk>/publish/", views.builder_publish, name="builder_publish"),
    path("educator/checklists/<int:pk>/validators/", views.builder_validator_add,
         name="builder_validator_add"),
    path("educator/checklists/<int:pk>/validators/<int:validator_id>/revoke/",
         views.builder_validator_revoke, name="builder_validator_revoke"),
    # Under /reports/ with assigned learning, so the staff MFA gate covers it.
    path("reports/assignments/new/checklist/", views.checklist_assign, name="assign"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/readiness/", views.unit_readiness, name="unit_readiness"),
    path("units/<int:pk>/readiness.<str:fmt>", views.unit_readiness_download,
         name="unit_readiness_download"),
    path("units/<int:pk>/people/<int:user_id>/readiness.pdf", views.unit_person_pdf,
         name="unit_person_pdf"),
]
