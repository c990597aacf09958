from django.urls import path

from . import views

app_name = "scim"

urlpatterns = [
    path("ServiceProviderConfig", views.service_provider_config, name="service-provider-config"),
    path("Schemas", views.schemas, name="schemas"),
    path("Schemas/<str:schema_id>", views.schema, name="schema"),
    path("ResourceTypes", views.resource_types, name="resource-types"),
    path("ResourceTypes/<str:resource_type_id>", views.resource_type, name="resource-type"),
    path(".search", views.search, name="search"),
    path("Users", views.users, name="users"),
    path("Users/<str:scim_id>", views.user, name="user"),
    path("Groups", views.groups, name="groups"),
    path("Groups/<str:scim_id>", views.group, name="group"),
    path("<path:unknown>", views.unknown, name="unknown"),
]
