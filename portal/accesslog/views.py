"""X-9 in the citizen's cabinet: who looked at my data (and my wards'), when, what and why."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal.accesslog.selectors import personal_data_access_list_for_person
from portal.accounts.access import OWN_OR_WARDS, allow, citizen
from portal.people.selectors import ward_list

PER_PAGE = 25


@allow(citizen(OWN_OR_WARDS))  # the person's own log and their wards'
@never_cache  # personal data: no shared or back-button cache (Cache-Control: no-store)
@login_required
def person_log(request: HttpRequest) -> HttpResponse:
    """The reads of the signed-in person's data and of their wards', newest first, a page at a time."""
    person = getattr(request.user, "person", None)
    if person is None:  # staff and integrator accounts have no cabinet
        raise PermissionDenied
    page = Paginator(personal_data_access_list_for_person(person=person), PER_PAGE).get_page(request.GET.get("page"))
    context = {"person": person, "page": page, "has_wards": ward_list(representative=person).exists()}
    return render(request, "accesslog/person_log.html", context)
