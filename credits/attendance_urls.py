"""Check-in, rosters and attendance import."""
app_name = "attendance"

urlpatterns: list = []
