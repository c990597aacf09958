"""A learner's online activity: start, lessons and their files, the post-test and attempts."""
from django.urls import path

from . import views

app_name = "online"

COURSE = "courses/<slug:slug>/"

urlpatterns = [
    path(COURSE + "start/", views.start, name="start"),
    path(COURSE + "learn/", views.resume, name="resume"),
    path(COURSE + "learn/<int:lesson_id>/", views.lesson, name="lesson"),
    path(COURSE + "learn/<int:lesson_id>/read/", views.lesson_read, name="lesson_read"),
    path(COURSE + "learn/<int:lesson_id>/video/", views.lesson_video, name="lesson_video"),
    path(COURSE + "learn/files/<int:attachment_id>/", views.attachment, name="attachment"),
    path(COURSE + "post-test/", views.post_test, name="post_test"),
    path(COURSE + "post-test/attempts/<int:attempt_id>/", views.attempt, name="attempt"),
    path("educator/courses/<int:course_id>/post-test/results/", views.post_test_results,
         name="results"),
]
