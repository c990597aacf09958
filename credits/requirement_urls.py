"""Licence requirement progress."""
app_name = "requirements"

urlpatterns: list = []
