"""API token pages: a person's own under their profile, service tokens under /review/ (behind
the staff MFA gate)."""
from django.urls import path

from . import token_views

app_name = "tokens"

urlpatterns = [
    path("accounts/profile/tokens/new/", token_views.personal_token_new, name="token_new"),
    path("accounts/profile/tokens/<int:pk>/revoke/", token_views.personal_token_revoke,
         name="token_revoke"),
    path("review/integrations/tokens/", token_views.service_token_list, name="service_tokens"),
    path("review/integrations/tokens/<int:pk>/revoke/", token_views.service_token_revoke,
         name="service_token_revoke"),
]
