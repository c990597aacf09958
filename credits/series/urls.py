"""The coordinator's pages of a series and the learner's late-claim request."""
from django.urls import path

from credits.series import views

app_name = "series"

urlpatterns = [
    path("educator/series/<int:course_id>/", views.coordinator, name="coordinator"),
    path("educator/series/<int:course_id>/settings/", views.settings_edit, name="settings"),
    path("educator/series/<int:course_id>/sessions/<int:session_id>/plan/", views.session_plan,
         name="session_plan"),
    path("educator/series/<int:course_id>/copy-forward/", views.copy_forward,
         name="copy_forward"),
    path("educator/series/late-claims/<int:request_id>/approve/", views.late_claim_approve,
         name="late_claim_approve"),
    path("educator/series/late-claims/<int:request_id>/refuse/", views.late_claim_refuse,
         name="late_claim_refuse"),
    path("sessions/<int:session_id>/late-claim/", views.late_claim, name="late_claim"),
]
