"""The public catalog: published activities with the catalog page's filters. No token needed."""
from typing import Literal

from django.core.paginator import Paginator
from ninja import Query, Router

from courses.credit_types import credit_type_name
from courses.forms_catalog import CatalogFilterForm
from courses.models import Course
from courses.selectors.catalog import course_catalog_list
from courses.templatetags.course_tags import seats_left

from . import schemas
from .auth import ApiError, anonymous_rate_limit
from .errors import responses

router = Router(tags=["Catalog"])
PAGE_SIZE = 20


@router.get("/catalog", url_name="api_catalog",
            response=responses(schemas.CatalogPage, 422, public=True), auth=None,
            summary="Published activities (the catalog page's filters)")
def catalog(request, q: str = "", specialty: str = "", format: Course.Format | None = None,
            profession: str | None = None, credit_type: str | None = None,
            starts_from: schemas.IsoDate | None = None,
            starts_until: schemas.IsoDate | None = None,
            has_free_seats: bool = False, include_past: bool = False,
            sort: Literal["", "next", "title", "credits"] = "",
            page: int = Query(1, ge=1, le=100000)):
    anonymous_rate_limit(request)
    form = CatalogFilterForm({
        "q": q, "specialty": specialty, "format": format or "", "profession": profession or "",
        "credit_type": credit_type or "", "starts_from": starts_from or "",
        "starts_until": starts_until or "", "has_free_seats": has_free_seats,
        "include_past": include_past, "sort": sort})
    if not form.is_valid():
        raise ApiError(422, "Check the filters: " + " ".join(
            f"{name}: {' '.join(messages)}" for name, messages in form.errors.items()))
    filters = {name: value for name, value in form.cleaned_data.items()
               if value not in (None, "", False)}
    paginator = Paginator(course_catalog_list(**filters), PAGE_SIZE)
    courses = paginator.page(page).object_list if page <= paginator.num_pages else []
    return {
        "count": paginator.count, "page": page, "pages": paginator.num_pages,
        "results": [{
            "id": course.pk, "slug": course.slug, "title": course.title,
            "format": course.format, "next_starts_at": course.next_starts_at,
            "seats_left": seats_left(course),
            "url": request.build_absolute_uri(course.get_absolute_url()),
            "credits": [{"credit_type": d.credit_type,
                         "credit_type_label": credit_type_name(d.credit_type),
                         "max_credits": d.max_credits} for d in course.credit_designations.all()],
        } for course in courses],
    }
