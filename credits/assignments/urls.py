"""Assignment pages for the CME office, under /reports/ (so behind the staff MFA gate)."""
from django.urls import path

from credits.assignments import views

app_name = "assignments"

urlpatterns = [
    path("reports/assignments/", views.assignment_list, name="list"),
    path("reports/assignments/new/", views.assignment_new, name="new"),
    path("reports/assignments/<int:pk>/", views.assignment_detail, name="detail"),
    path("reports/assignments/<int:pk>/apply/", views.assignment_apply, name="apply"),
    path("reports/assignments/<int:pk>/withdraw/", views.assignment_withdraw_view,
         name="withdraw"),
]
