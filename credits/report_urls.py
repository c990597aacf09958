"""Administrator report URLs under /reports/ (behind the staff MFA gate)."""
app_name = "reports"

urlpatterns: list = []
