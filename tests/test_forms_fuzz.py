"""Fuzzed query parameters and form posts: the catalog's filters, the profile form and the claim
form answer with a page or a form error, never a 500.

Cases a run: 50 for each form and 25 for the catalog (two renders a case) in the suite, twice
as many with FULL_FUZZ=1, twenty times as many with HYPOTHESIS_PROFILE=thorough (the profiles
are in tests/conftest.py).
"""
import datetime
import string
import time
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from credits.models import CreditRecord
from tests.credits.claim_world import attended_course

pytestmark = pytest.mark.django_db

# A form post costs a full request (the profile page alone renders ~540 time zones): half the
# Hypothesis profile's max_examples for each form, a quarter for the catalog.
CASES = hypothesis_settings.default.max_examples // 2
NASTY = ["", " ", "0", "-1", "1e9", "NaN", "None", "null", "true", "on", "2026-02-30",
         "9999-12-31", "0000-00-00", "01/02/2026", "<script>", "' OR 1=1 --", "%00", "\x00",
         "\u202e", "=1+1", "a" * 5000, "😷", "../../etc/passwd", "[]", "{}", "1.005", "0.25",
         "1.50", "99999999999999999999"]
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=50),
                   st.integers(min_value=-10**12, max_value=10**12).map(str),
                   st.dates().map(str))


def _params(keys):
    return st.dictionaries(st.sampled_from(keys), st.one_of(values, st.lists(values, max_size=3)),
                           max_size=len(keys))


def _no_nul(params):
    # The test client itself cannot send NUL in a URL; the server side is what is under test.
    return {key: ([v.replace("\x00", "") for v in value] if isinstance(value, list)
                  else value.replace("\x00", "")) for key, value in params.items()}


def _run(check, strategy, cases: int = CASES) -> int:
    seen = []

    @hypothesis_settings(max_examples=cases)
    @given(strategy)
    def run(example):
        check(example)
        seen.append(1)

    started = time.monotonic()
    run()
    print(f"{check.__name__}: {len(seen)} cases in {time.monotonic() - started:.1f} s")
    return len(seen)


CATALOG_KEYS = ["q", "specialty", "format", "profession", "credit_type", "starts_from",
                "starts_until", "has_free_seats", "include_past", "sort", "page", "topic", "x"]


def test_catalog_query_parameters_never_fail(client, clinician):
    attended_course(clinician)

    def catalog_anonymous_and_signed_in(params):
        params = _no_nul(params)
        client.logout()
        assert client.get(reverse("courses:catalog"), params).status_code == 200
        client.force_login(clinician)
        assert client.get(reverse("courses:catalog"), params).status_code == 200

    assert _run(catalog_anonymous_and_signed_in, _params(CATALOG_KEYS), CASES // 2) >= CASES // 4


PROFILE_KEYS = ["full_name", "degree", "profession", "specialty", "npi", "certifying_board",
                "board_id", "nabp_eprofile_id", "birth_month", "birth_day", "time_zone",
                "consents_to_credit_reporting"]


def test_profile_form_never_fails(client, clinician):
    client.force_login(clinician)
    url = reverse("accounts:profile")

    def profile_post(data):
        response = client.post(url, data)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert response.context["form"].errors  # refused with a reason, not ignored

    base = st.fixed_dictionaries({"full_name": st.sampled_from(["Priya Raman", ""]),
                                  "time_zone": st.sampled_from(["America/New_York", "Mars/Base",
                                                                ""])})
    data = st.tuples(base, _params(PROFILE_KEYS)).map(lambda t: _no_nul({**t[0], **t[1]}))
    assert _run(profile_post, data) >= CASES // 2


def test_claim_form_never_fails_and_never_claims_more_than_allowed(client, clinician):
    course = attended_course(clinician, evaluation_required=False, duration_minutes=60,
                             designations=[("ama_pra_1", "1.00"), ("abim_moc", "1.00")])
    client.force_login(clinician)
    url = reverse("ledger:claim", args=[course.slug])
    amounts = st.one_of(values, st.sampled_from(["0.25", "0.50", "1.00", "1.25"]))
    keys = ["ama_pra_1", "abim_moc", "ancc", "attest_time", "change-ama_pra_1-record",
            "change-ama_pra_1-amount", "change-abim_moc-record", "change-abim_moc-amount",
            "".join(string.ascii_lowercase)]

    def claim_post(data):
        response = client.post(url, _no_nul(data))
        assert response.status_code in (200, 302)
        for record in CreditRecord.objects.filter(user=clinician, status="active"):
            assert Decimal("0.25") <= record.amount <= Decimal("1.00")
            assert record.completed_on <= datetime.date.today() + datetime.timedelta(days=1)
        assert CreditRecord.objects.filter(user=clinician, status="active").count() <= 2

    data = st.dictionaries(st.sampled_from(keys), amounts, max_size=5)
    assert _run(claim_post, data) >= CASES // 2
