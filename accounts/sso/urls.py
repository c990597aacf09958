"""allauth's OpenID Connect URLs (same paths and names), served by views that use the verifying
adapter: allauth's own views build the stock adapter, which skips the ID token signature."""
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount import app_settings
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.http import Http404
from django.urls import include, path, re_path

from .provider import VerifyingOpenIDConnectAdapter


def _adapter_view(view_class):
    @login_not_required
    def view(request, provider_id):
        try:
            return view_class.adapter_view(VerifyingOpenIDConnectAdapter(request, provider_id))(
                request)
        except SocialApp.DoesNotExist as exc:
            raise Http404 from exc
    return view


login = _adapter_view(OAuth2LoginView)
callback = _adapter_view(OAuth2CallbackView)

urlpatterns = [
    re_path(r"^(?P<provider_id>[^/]+)/", include([
        path("login/", login, name="openid_connect_login"),
        path("login/callback/", callback, name="openid_connect_callback"),
    ])),
]
if app_settings.OPENID_CONNECT_URL_PREFIX:
    urlpatterns = [path(f"{app_settings.OPENID_CONNECT_URL_PREFIX}/", include(urlpatterns))]
