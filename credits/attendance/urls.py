"""Check-in, rosters and attendance import."""
from django.urls import path

from credits.attendance import views

app_name = "attendance"

urlpatterns = [
    path("checkin/", views.checkin_enter, name="checkin"),
    path("checkin/<str:code>/", views.checkin_scanned, name="checkin_scanned"),
    path("educator/sessions/<int:session_id>/checkin/", views.checkin_display,
         name="checkin_display"),
    path("educator/sessions/<int:session_id>/roster/", views.roster, name="roster"),
    path("educator/sessions/<int:session_id>/roster/<int:user_id>/override/",
         views.attendance_override_view, name="override"),
    path("educator/sessions/<int:session_id>/attendance/import/", views.import_upload,
         name="import_upload"),
    path("educator/sessions/<int:session_id>/attendance/import/<int:import_id>/",
         views.import_detail, name="import_detail"),
    path("educator/sessions/<int:session_id>/attendance/import/<int:import_id>/apply/",
         views.import_apply, name="import_apply"),
]
