"""Views of the disclosure package: the public self-disclosure form behind a signed link, the
activity's disclosure and mitigation review, and commercial support with its agreement."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from courses.disclosures import selectors, services
from courses.disclosures.forms import (
    CommercialSupportForm,
    DisclosureSignForm,
    MitigationForm,
    RelationshipFormSet,
)
from courses.disclosures.models import CommercialSupport
from courses.selectors.educator import course_get_for_manager

REFUSED_STATUS = {"forged": 404, "other_person": 403, "expired": 410, "used": 200}


@never_cache
def disclosure_sign(request, token: str):
    """The form a person in control of content reaches from the emailed link; no account."""
    try:
        link = services.disclosure_link_resolve(token=token, user=request.user)
    except services.DisclosureLinkRefused as refused:
        return render(request, "courses/disclosures/link_refused.html",
                      {"reason": refused.reason, "link": refused.link},
                      status=REFUSED_STATUS[refused.reason])
    form = DisclosureSignForm(request.POST or None)
    formset = RelationshipFormSet(request.POST or None, prefix="rel")
    if request.method == "POST" and "add_relationship" in request.POST:
        # Another row, without JavaScript: the same page again with what was typed kept.
        form, formset = _with_another_row(request.POST)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        relationships = [item for item in (f.relationship() for f in formset) if item]
        try:
            disclosure = services.financial_disclosure_sign(
                link=link, none_to_disclose=form.cleaned_data["none_to_disclose"],
                relationships=relationships, signature=form.cleaned_data["signature"])
        except ValidationError as error:
            for field_name, errors in error.message_dict.items():
                form.add_error(None if field_name not in form.fields else field_name, errors)
        else:
            return render(request, "courses/disclosures/signed.html",
                          {"disclosure": disclosure, "person": link.person})
    return render(request, "courses/disclosures/sign.html",
                  {"link": link, "form": form, "formset": formset, "token": token})


def _with_another_row(data) -> tuple[DisclosureSignForm, RelationshipFormSet]:
    fields = ("company", "nature", "ownership", "ended_on")
    total = min(int(data.get("rel-TOTAL_FORMS") or 1), 19)
    rows = [{name: data.get(f"rel-{index}-{name}", "") for name in fields}
            for index in range(total)]
    return (DisclosureSignForm(initial={"signature": data.get("signature", ""),
                                        "none_to_disclose": bool(data.get("none_to_disclose"))}),
            RelationshipFormSet(initial=[*rows, {}], prefix="rel"))


@login_required
def course_review(request, pk: int):
    """Everyone in control of the activity's content, their disclosures and the mitigations."""
    course_get_for_manager(user=request.user, pk=pk)
    course = selectors.course_with_disclosures(pk=pk)
    rows = selectors.activity_disclosures(course)
    for row in rows:
        for item in row.relationships:
            mitigation = item.mitigation
            item.form = MitigationForm(prefix=f"r{item.relationship.pk}", initial=(
                {"relevant": "yes" if mitigation.relevant else "no", "step": mitigation.step,
                 "other_text": mitigation.other_text,
                 "owner_exception": mitigation.owner_exception} if mitigation else {}))
            item.is_self = (row.person.user_id == request.user.pk)
    return render(request, "courses/disclosures/review.html", {
        "course": course, "rows": rows,
        "missing": [row for row in rows if row.disclosure is None],
        "problems": selectors.disclosure_publication_problems(course=course),
        "supports": course.supports.all(),
    })


@login_required
@require_POST
def disclosure_requests_send(request, pk: int):
    """Email a link to everyone on the activity without a current disclosure (once each), or to
    one person again."""
    course_get_for_manager(user=request.user, pk=pk)
    course = selectors.course_with_disclosures(pk=pk)
    rows = [row for row in selectors.activity_disclosures(course) if row.disclosure is None]
    person_pk = request.POST.get("person")
    if person_pk:
        rows = [row for row in rows if str(row.person.pk) == person_pk]
    sent, errors = 0, []
    for row in rows:
        try:
            link = services.disclosure_request_for_course(
                course=course, person=row.person, sent_by=request.user, again=bool(person_pk))
        except ValidationError as error:
            errors.extend(error.messages)
        else:
            sent += link is not None
    for error in errors:
        messages.error(request, error)
    if sent:
        messages.success(request, f"Disclosure link emailed to {sent} "
                                  f"{'person' if sent == 1 else 'people'}.")
    elif not errors:
        messages.info(request, "Everyone without a disclosure has already been emailed a link; "
                               "use “Send again” to email one person once more.")
    return redirect("disclosures:course_review", pk=pk)


@login_required
@require_POST
def mitigation_decide(request, pk: int, relationship_pk: int):
    course = course_get_for_manager(user=request.user, pk=pk)
    course = selectors.course_with_disclosures(pk=course.pk)
    on_course = {item.relationship.pk: item.relationship
                 for row in selectors.activity_disclosures(course) for item in row.relationships}
    relationship = on_course.get(relationship_pk)
    if relationship is None:
        raise Http404("No such relationship on this activity.")
    form = MitigationForm(request.POST, prefix=f"r{relationship_pk}")
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, f"{relationship.company}: {message}")
        return redirect("disclosures:course_review", pk=pk)
    try:
        services.mitigation_record(course=course, relationship=relationship,
                                   reviewer=request.user, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{relationship.company}: {message}")
    else:
        messages.success(request, f"Mitigation recorded for {relationship.disclosure.person}"
                                  f" ({relationship.company}).")
    return redirect("disclosures:course_review", pk=pk)


@login_required
def support_edit(request, pk: int, support_pk: int | None = None):
    course = course_get_for_manager(user=request.user, pk=pk)
    support = get_object_or_404(course.supports.all(), pk=support_pk) if support_pk else None
    form = CommercialSupportForm(request.POST or None, request.FILES or None, instance=support)
    if request.method == "POST" and form.is_valid():
        try:
            services.commercial_support_save(
                course=course, editor=request.user, support=support,
                supporter=form.cleaned_data["supporter"], amount=form.cleaned_data["amount"],
                in_kind=form.cleaned_data["in_kind"],
                agreement=form.cleaned_data.get("agreement") or None,
                agreement_signed_on=form.cleaned_data["agreement_signed_on"])
        except ValidationError as error:
            for field_name, errors in error.message_dict.items():
                form.add_error(field_name if field_name in form.fields else None, errors)
        else:
            messages.success(request, "The commercial support is recorded.")
            return redirect("disclosures:course_review", pk=pk)
    return render(request, "courses/disclosures/support_form.html",
                  {"course": course, "form": form, "support": support})


@login_required
def support_agreement(request, pk: int, support_pk: int):
    """The agreement PDF, for the activity's directors and the CME office only."""
    course = course_get_for_manager(user=request.user, pk=pk)
    support = get_object_or_404(CommercialSupport, pk=support_pk, course=course)
    if not support.agreement:
        raise Http404("No agreement has been uploaded.")
    response = FileResponse(support.agreement.open("rb"), content_type="application/pdf",
                            filename=f"agreement-{support.pk}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response

