"""Certificate download and public verification URLs."""
app_name = "certificates"

urlpatterns: list = []
