"""Administrator report URLs under /reports/ (behind the staff MFA gate), and the roster
download course directors use under /educator/, and the clinician's transcript CSV."""
from django.urls import path

from credits.reports import views as report_views

app_name = "reports"

urlpatterns = [
    path("reports/", report_views.index, name="index"),
    path("reports/history/", report_views.history, name="history"),
    path("reports/history.csv", report_views.history_csv, name="history_csv"),
    path("reports/runs/<int:run_id>/", report_views.run_detail, name="run_detail"),
    path("reports/runs/<int:run_id>/progress/", report_views.run_progress, name="run_progress"),
    path("reports/runs/<int:run_id>/download/", report_views.run_download,
         name="run_download"),
    path("reports/dashboard/", report_views.dashboard, name="dashboard"),
    path("reports/assignments/<int:assignment_id>/learners.<str:fmt>",
         report_views.assignment_learners_download, name="assignment_learners"),
    path("reports/runs/<int:run_id>/pars-uploaded/", report_views.run_mark_uploaded,
         name="run_mark_uploaded"),
    path("reports/<slug:identifier>/", report_views.export, name="export"),
    path("transcript/transcript.csv", report_views.transcript_csv_download,
         name="transcript_csv"),
    path("educator/courses/<int:course_id>/roster.csv", report_views.educator_roster_csv,
         name="educator_roster"),
    path("educator/courses/<int:course_id>/post-test/attempts.<str:fmt>",
         report_views.educator_attempts_download, name="educator_attempts"),
    path("educator/courses/<int:course_id>/package-results/interactions.<str:fmt>",
         report_views.package_interactions_download, name="package_interactions"),
]
