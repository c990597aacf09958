from django.urls import path

from courses.disclosures import views

app_name = "disclosures"

COURSE = "educator/courses/<int:pk>/disclosures/"

urlpatterns = [
    path("disclose/<str:token>/", views.disclosure_sign, name="sign"),
    path(COURSE + "review/", views.course_review, name="course_review"),
    path(COURSE + "requests/", views.disclosure_requests_send, name="requests_send"),
    path(COURSE + "relationships/<int:relationship_pk>/mitigation/", views.mitigation_decide,
         name="mitigation_decide"),
    path(COURSE + "support/new/", views.support_edit, name="support_create"),
    path(COURSE + "support/<int:support_pk>/", views.support_edit, name="support_edit"),
    path(COURSE + "support/<int:support_pk>/agreement.pdf", views.support_agreement,
         name="support_agreement"),
]
