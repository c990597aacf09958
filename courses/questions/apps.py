from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "courses.questions"
    label = "questions"
    verbose_name = "Question banks and post-tests"
