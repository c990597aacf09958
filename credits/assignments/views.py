"""The CME office's assignment pages under /reports/assignments/ (administrators only, behind
the staff MFA gate): the list, a new assignment, one assignment with its learners."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import administrator_required
from credits.assignments.forms import AssignmentForm, MemberStatusForm
from credits.assignments.models import Assignment
from credits.assignments.selectors import (
    STATUSES,
    assignment_completion_by_group,
    assignment_counts_get,
    assignment_done_before_assigned,
    assignment_drafts,
    assignment_members_with_status,
    member_due_is_individual,
)
from credits.assignments.services import (
    assignment_email_list_apply,
    assignment_open,
    assignment_withdraw,
)

MEMBERS_PAGE_SIZE = 100


@require_GET
@administrator_required
def assignment_list(request):
    return render(request, "credits/assignments/list.html", {
        "groups": assignment_completion_by_group(include_withdrawn=True),
        "drafts": assignment_drafts()})


@administrator_required
def assignment_new(request):
    form = AssignmentForm(request.POST or None, request.FILES or None)
    if (request.method == "POST" and form.is_valid()
            and (opened := assignment_opened(request, form,
                                             course=form.cleaned_data["course"],
                                             recurrence=form.cleaned_data["recurrence"]))):
        return opened
    return render(request, "credits/assignments/new.html", {"form": form})


def assignment_opened(request, form, **item):
    """Open the assignment a valid assignment form describes for `item` (its course or
    checklist, and whatever else only that kind has), and go to its page; when the service
    refuses, its reason goes on the form and the answer is None. Shared with the checklists'
    own assignment page."""
    data = form.cleaned_data
    try:
        assignment = assignment_open(
            created_by=request.user, target=data["target"], target_value=data["target_value"],
            uploaded_file=data["email_file"], title=data["title"], due=data["due"],
            due_on=data["due_on"], due_days=data["due_days"], **item)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    if assignment.status == Assignment.Status.ACTIVE:
        messages.success(request, f"Assigned {assignment.item_title}.")
    return redirect("assignments:detail", pk=assignment.pk)


def _assignment_or_404(pk: int):
    try:
        return assignment_counts_get(pk=pk)
    except Assignment.DoesNotExist:
        raise Http404("No such assignment.") from None


@require_GET
@administrator_required
def assignment_detail(request, pk: int):
    counts = _assignment_or_404(pk)
    status_form = MemberStatusForm(request.GET or None)
    status = status_form.cleaned_data["status"] if status_form.is_valid() else ""
    page = Paginator(assignment_members_with_status(assignment=counts.assignment,
                                                    status=status or None),
                     MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    for member in page.object_list:
        member.due_is_individual = member_due_is_individual(assignment=counts.assignment,
                                                            member=member)
    done_before = (assignment_done_before_assigned(assignment=counts.assignment)
                   if counts.done else 0)
    return render(request, "credits/assignments/detail.html", {
        "done_before": done_before,
        "counts": counts, "assignment": counts.assignment, "status_form": status_form,
        "status": status, "status_label": STATUSES.get(status, ""), "page": page,
        "today": timezone.localdate()})


@require_POST
@administrator_required
def assignment_apply(request, pk: int):
    assignment = get_object_or_404(Assignment, pk=pk, target=Assignment.Target.EMAIL_LIST)
    try:
        assignment = assignment_email_list_apply(assignment=assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Assigned {assignment.item_title} to the list.")
    return redirect("assignments:detail", pk=assignment.pk)


@require_POST
@administrator_required
def assignment_withdraw_view(request, pk: int):
    assignment = get_object_or_404(Assignment, pk=pk)
    if assignment.status != Assignment.Status.WITHDRAWN:
        assignment_withdraw(assignment=assignment)
        messages.success(request, f"Withdrew “{assignment.title}”: no more reminders; "
                                  "its history is kept.")
    return redirect("assignments:detail", pk=assignment.pk)
