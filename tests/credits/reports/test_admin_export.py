"""Django admin for the CME office: every model searchable and filterable, and one
'Export selected to CSV' action on every model, escaped and logged."""
import csv
import io

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from credits.models import ExportRun
from tests.factories import CourseFactory, CreditRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

MODEL_ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
OFFICE_MODELS = [(model, model_admin) for model, model_admin in MODEL_ADMINS
                 if model._meta.app_label in {"accounts", "courses", "credits"}]


@pytest.mark.parametrize("model,model_admin", MODEL_ADMINS,
                         ids=[model._meta.label for model, _ in MODEL_ADMINS])
def test_export_selected_to_csv_is_offered_on_every_model(model, model_admin, admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    assert "export_selected_to_csv" in model_admin.get_actions(request)


@pytest.mark.parametrize("model,model_admin", OFFICE_MODELS,
                         ids=[model._meta.label for model, _ in OFFICE_MODELS])
def test_every_office_model_lists_columns_filters_and_search(model, model_admin, client,
                                                             admin_user):
    assert len(model_admin.list_display) > 1 or model_admin.list_display != ("__str__",)
    assert model_admin.search_fields, f"{model._meta.label} has no search"
    client.force_login(admin_user)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url, {"q": "raman"})
    assert response.status_code == 200


def test_selected_credit_records_are_exported_as_the_change_list_shows_them(client,
                                                                            admin_user):
    course = CourseFactory(title="=SUM(1+1) Grand Rounds")
    chosen = [CreditRecordFactory(course=course, user=UserFactory(full_name=name))
              for name in ("Priya Raman", "Sam Ortiz")]
    CreditRecordFactory(course=course)  # not selected
    client.force_login(admin_user)
    response = client.post(reverse("admin:credits_creditrecord_changelist"), {
        "action": "export_selected_to_csv",
        "_selected_action": [record.pk for record in chosen],
    })
    assert response["Content-Disposition"].startswith('attachment; filename="credit-records-')
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["ID", "User", "Course", "External activity", "Credit type", "Amount",
                       "Completed on", "Source", "Status"]
    assert len(rows) == 3
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Course"] == "'=SUM(1+1) Grand Rounds"  # formula escaped
    assert first["Credit type"] == "AMA PRA Category 1 Credit™"
    assert first["Status"] == "Active"
    assert {row[1] for row in rows[1:]} == {f"{record.user.full_name} <{record.user.email}>"
                                            for record in chosen}

    run = ExportRun.objects.get()
    assert (run.exporter, run.status, run.rows_done, run.requested_by) == (
        "admin:credits.creditrecord", "done", 2, admin_user)
    assert run.filters_summary == "2 selected credit records (Django admin)"
