from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/licences/new/", views.licence_edit, name="licence_add"),
    path("profile/licences/<int:pk>/", views.licence_edit, name="licence_edit"),
    path("profile/licences/<int:pk>/delete/", views.licence_delete, name="licence_delete"),
]

from . import notification_views  # noqa: E402  (email preferences, appended by the reminders area)

urlpatterns += [
    path("notifications/", notification_views.notification_preferences, name="notifications"),
    path("notifications/unsubscribe/<str:token>/", notification_views.notification_unsubscribe,
         name="notifications_unsubscribe"),
]
