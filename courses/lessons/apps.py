from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "courses.lessons"
    label = "lessons"
    verbose_name = "Lessons of online activities"
