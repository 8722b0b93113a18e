"""Server-rendered pages of the electronic queue: the citizen's cabinet and booking, the staff's queue.

Views check who is asking and the shape of the input, then call a service or a selector; the rules
(Q-6 checks, one active booking per referral, who may cancel) live in ``services``. A refused request
(``ApplicationError``) becomes a message on the page, attached to the form field it concerns.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.access import OWN_OR_WARDS, STAFF_DEPARTMENT, allow, citizen, department_staff
from portal.accounts.decorators import citizen_required, department_staff_required
from portal.acts.selectors import act_list_for_referral
from portal.acts.services import act_decision_check, act_register, age_on, department_code, signer_iin_of
from portal.acts.signing import act_signed_content
from portal.consent.models import Consent
from portal.consent.selectors import consent_live
from portal.consent.services import CONSENT_REQUIRED
from portal.errors import ApplicationError, NotFoundError
from portal.people.selectors import ward_list
from portal.referrals.models import Referral
from portal.referrals.selectors import referral_list_for_citizen
from portal.signatures.widgets import signing_widget
from portal.territory.selectors import department_for_atu
from queue_booking import errors, selectors, services
from queue_booking.forms import ActForm, CheckInForm, DayChoiceForm, ReferralChoiceForm, SlotChoiceForm, WalkInForm
from queue_booking.models import Booking
from queue_booking.service_terms import visits_flagged

# S-3: how often the desk page fetches the panel of waits and services near the hour again.
S3_REFRESH_SECONDS = 30

# Failures of the Q-6 checks that a waiting list can help with.
WAITLIST_CODES = {errors.NO_FREE_SLOT.code}


def _posted(request):
    """The form data of a POST, even an empty one (an empty POST must show "choose one")."""
    return request.POST if request.method == "POST" else None


def _add_error(form, exc: ApplicationError, default_field: str | None) -> None:
    field = exc.field if exc.field in form.fields else default_field
    form.add_error(field, str(exc.message))


# --- the citizen's cabinet ------------------------------------------------------------------------


@allow(citizen(OWN_OR_WARDS))
@citizen_required
def cabinet(request):
    """Referrals (own and wards'), wards, and bookings with their status."""
    person = request.user.person
    bookings = list(selectors.booking_list_for_person(person=person))
    active = {b.referral_id: b for b in bookings if b.is_active}
    bookable = {r.pk for r in selectors.bookable_referrals(person=person)}
    # a referral whose visit was served (booked or walk-in) is used: nothing more to book on it
    served = {b.referral_id for b in bookings if b.status == Booking.Status.SERVED}
    referrals = [
        (r, active.get(r.pk), None if r.pk in active else _cannot_book(r, person))
        for r in referral_list_for_citizen(person=person)
    ]
    context = {
        "person": person,
        "referrals": referrals,
        "bookable": bookable,
        "served": served,
        "wards": list(ward_list(representative=person)),
        "bookings": bookings,
        "waitlists": selectors.waitlist_for_person(person=person),
    }
    return render(request, "queue_booking/cabinet.html", context)


# Q-6 refusals that no choice of date can change: the cabinet says so (and what to do) instead of
# offering "Book a time" and refusing only after it.
CABINET_BLOCKING_CODES = {
    errors.NO_REGISTRATION.code,
    errors.NO_DEPARTMENT.code,
    errors.REGION_NOT_IN_PILOT.code,
    errors.PILOT_CLOSED.code,
}


def _cannot_book(referral, person) -> ApplicationError | None:
    """Why a valid in-person referral cannot be booked at all, or None (then the date step decides)."""
    if referral.route != Referral.Route.IN_PERSON or not referral.is_valid_at():
        return None
    try:
        services.booking_eligibility(referral=referral, actor=person)
    except ApplicationError as exc:
        return exc if exc.code in CABINET_BLOCKING_CODES else None
    return None


# --- booking in three steps -----------------------------------------------------------------------


def _referral_or_404(public_id) -> Referral:
    # Whether the signed-in person may act for the referral's person is the service's rule
    # (``not_representative``); here only existence is checked.
    return get_object_or_404(Referral.objects.select_related("person", "medical_organisation"), public_id=public_id)


def _blocked(request, *, referral, exc: ApplicationError, step: int):
    """A Q-6 check failed: say which one, change nothing, offer what can be done instead."""
    status = 403 if exc.code == errors.NOT_REPRESENTATIVE.code else 200
    existing = None
    if exc.code == errors.ALREADY_BOOKED.code:
        # Back or a second submit after booking: lead to the ticket of the booking already made
        existing = (
            selectors.booking_list_for_person(person=request.user.person)
            .filter(referral=referral, status__in=Booking.ACTIVE_STATUSES)
            .first()
        )
    context = {
        "step": step,
        "referral": referral if status == 200 else None,
        "error": exc,
        "waitlist": exc.code in WAITLIST_CODES,
        "existing_booking": existing,
    }
    return render(request, "queue_booking/book_blocked.html", context, status=status)


@allow(citizen(OWN_OR_WARDS))
@citizen_required
@require_http_methods(["GET", "POST"])
def book(request):
    """Step 1 of 3: pick the referral."""
    person = request.user.person
    referrals = selectors.bookable_referrals(person=person)
    form = ReferralChoiceForm(_posted(request), referrals=referrals, actor=person)
    if request.method == "POST" and form.is_valid():
        referral = form.cleaned_data["referral"]
        try:
            services.booking_eligibility(referral=referral, actor=person)
        except ApplicationError as exc:
            _add_error(form, exc, "referral")
        else:
            return redirect("queue_booking:book-date", referral_id=referral.public_id)
    elif request.method == "GET" and len(form.referrals) == 1:
        form.initial["referral"] = next(iter(form.referrals))
    return render(request, "queue_booking/book_referral.html", {"form": form, "step": 1})


@allow(citizen(OWN_OR_WARDS))
@citizen_required
@require_http_methods(["GET", "POST"])
def book_date(request, referral_id):
    """Step 2 of 3: pick a date among the department's free ones."""
    person = request.user.person
    referral = _referral_or_404(referral_id)
    try:
        department = services.booking_eligibility(referral=referral, actor=person)
    except ApplicationError as exc:
        return _blocked(request, referral=referral, exc=exc, step=2)
    days = selectors.available_dates(department=department)
    held = selectors.held_slot_for_referral(referral=referral)
    if held is not None and held.day not in days:  # the kept place is theirs to take
        days = sorted([*days, held.day])
    form = DayChoiceForm(_posted(request), days=days)
    if request.method == "POST" and form.is_valid():
        return redirect("queue_booking:book-time", referral_id=referral.public_id, day=form.cleaned_data["day"])
    context = {"form": form, "step": 2, "referral": referral, "department": department, "held": held}
    return render(request, "queue_booking/book_date.html", context)


def _slots_with_held(referral, department, day: dt.date) -> list:
    """The day's free times, plus the place kept for this referral (X-3) when it falls on that day."""
    slots = [s for s in selectors.available_slots(department=department, day=day) if s.free]
    held = selectors.held_slot_for_referral(referral=referral)
    if held is not None and held.day == day and all(s.pk != held.pk for s in slots):
        slots = sorted([*slots, held], key=lambda s: s.starts_at)
    return slots


@allow(citizen(OWN_OR_WARDS))
@citizen_required
@require_http_methods(["GET", "POST"])
def book_time(request, referral_id, day: str):
    """Step 3 of 3: pick a time and confirm; the booking is made here (Q-7)."""
    person = request.user.person
    referral = _referral_or_404(referral_id)
    try:
        day_date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    try:
        department = services.booking_eligibility(referral=referral, actor=person)
    except ApplicationError as exc:
        return _blocked(request, referral=referral, exc=exc, step=3)
    slots = _slots_with_held(referral, department, day_date)
    if not slots and request.method == "GET":
        messages.error(request, _("No free time is left on this date. Choose another date."))
        return redirect("queue_booking:book-date", referral_id=referral.public_id)
    # without a live consent of the examined person the confirmation asks for it.
    consent = consent_live(subject=referral.person)
    form = SlotChoiceForm(_posted(request), slots=slots, consent_for=None if consent else referral.person)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_create(
                referral=referral,
                slot_id=form.cleaned_data["slot"],
                actor=person,
                consent_channel=Consent.Channel.PORTAL if form.cleaned_data.get("consent") else None,
            )
        except ApplicationError as exc:
            if exc.code == errors.NOT_REPRESENTATIVE.code:
                return _blocked(request, referral=referral, exc=exc, step=3)
            if exc.code == CONSENT_REQUIRED.code:  # withdrawn since the check above: ask for it here
                consent = None
                if "consent" not in form.fields:
                    form.ask_consent(referral.person)
            _add_error(form, exc, "slot")
            slots = _slots_with_held(referral, department, day_date)
            form.fields["slot"].choices = SlotChoiceForm(slots=slots).fields["slot"].choices
        else:
            messages.success(request, _("You are booked. Your ticket is below; we also sent it by SMS."))
            return redirect("queue_booking:ticket", public_id=booking.public_id)
    context = {
        "form": form,
        "step": 3,
        "referral": referral,
        "department": department,
        "day": day_date,
        "consent": consent,
    }
    return render(request, "queue_booking/book_time.html", context)


@allow(citizen(OWN_OR_WARDS))
@citizen_required
@require_POST
def waitlist_join(request, referral_id):
    """X-3: no free time now; be offered the next freed place of the department."""
    person = request.user.person
    referral = _referral_or_404(referral_id)
    try:
        department = services.booking_eligibility(referral=referral, actor=person)
    except ApplicationError as exc:
        if exc.code not in WAITLIST_CODES:
            return _blocked(request, referral=referral, exc=exc, step=2)
        atu = referral.person.registration_atu
        department = department_for_atu(atu=atu) if atu else None
    if department is None:
        messages.error(request, _("The waiting list is not available for this referral."))
        return redirect("queue_booking:cabinet")
    try:
        services.waitlist_join(person=referral.person, department=department, actor=person)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("You are on the waiting list. We will send an SMS when a time becomes free."))
    return redirect("queue_booking:cabinet")


@allow(citizen(OWN_OR_WARDS))
@citizen_required
@require_POST
def waitlist_leave(request, entry_id: int):
    """X-3: stop the offers of freed places (the person's own, or a ward's)."""
    person = request.user.person
    entry = next((e for e in selectors.waitlist_for_person(person=person) if e.pk == entry_id), None)
    if entry is None:
        raise Http404
    services.waitlist_leave(person=entry.person, department=entry.department, actor=person)
    messages.success(request, _("You have left the waiting list. We will not send offers of free times any more."))
    return redirect("queue_booking:cabinet")


# --- the ticket -----------------------------------------------------------------------------------


def _booking_or_404(request, public_id) -> Booking:
    try:
        return selectors.booking_get_for_person(person=request.user.person, public_id=public_id)
    except NotFoundError:
        raise Http404 from None


@allow(citizen(OWN_OR_WARDS))
@citizen_required
def ticket(request, public_id):
    """The ticket: number, place and time, QR code for check-in and a calendar file (X-4); printable."""
    booking = _booking_or_404(request, public_id)
    context = {"booking": booking, "qr_svg": services.booking_qr_svg(booking=booking) if booking.is_active else ""}
    return render(request, "queue_booking/ticket.html", context)


@allow(citizen(OWN_OR_WARDS))
@citizen_required
def ticket_ics(request, public_id):
    booking = _booking_or_404(request, public_id)
    response = HttpResponse(services.booking_ics(booking=booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mse-ticket-{booking.ticket_number}.ics"'
    return response


@allow(citizen(OWN_OR_WARDS))
@citizen_required
@require_http_methods(["GET", "POST"])
def cancel(request, public_id):
    """Q-9: cancelling asks for confirmation; only the POST of the confirmation page cancels."""
    booking = _booking_or_404(request, public_id)
    error = None
    if request.method == "POST":
        try:
            services.booking_cancel(booking=booking, actor=request.user.person)
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("The booking is cancelled. We sent an SMS to confirm it."))
            return redirect("queue_booking:cabinet")
    return render(request, "queue_booking/cancel.html", {"booking": booking, "error": error})


# --- department staff -----------------------------------------------------------------------------

# The desk's own wording of the services' refusals, by error code: the services speak to citizens
# ("cancel it first") or name statuses; staff need what happened and what to do at the desk. A code
# not listed here shows the service's message.
STAFF_MESSAGES = {
    "already_booked": gettext_lazy(
        "This person's referral already has an active booking. If it is for today, check them in with "
        "its ticket; a booking for another day must be cancelled before they join the live queue."
    ),
    "bad_transition": gettext_lazy(
        "This visit has already moved on (checked in, served, left, cancelled or annulled): see the list below."
    ),
    "department_closed_today": gettext_lazy(
        "Today is not a working day by the working calendar (a weekend, a holiday or a day off): "
        "the department does not receive, so nobody can be added to the live queue."
    ),
}


def _staff_message(exc: ApplicationError) -> str:
    return str(STAFF_MESSAGES.get(exc.code, exc.message))


def _add_staff_error(form, exc: ApplicationError, default_field: str) -> None:
    field = exc.field if exc.field in form.fields else default_field
    form.add_error(field, _staff_message(exc))


def _queue_context(request, *, check_in_form=None, walk_in_form=None) -> dict:
    department = request.user.department
    today = timezone.localdate()
    queue = list(selectors.queue_for_day(department=department, day=today, include_done=True))
    personal_data_read(request, queue, Subject.QUEUE, Purpose.QUEUE_SERVICE)
    S = Booking.Status
    live = [b for b in queue if b.kind != Booking.Kind.BOOKED and b.status in (S.BOOKED, S.ARRIVED)]
    booked = [b for b in queue if b.kind == Booking.Kind.BOOKED]
    return {
        "department": department,
        "today": today,
        "arrived": [b for b in booked if b.status == S.ARRIVED],
        "waiting": [b for b in booked if b.status == S.BOOKED],
        "live": live,
        "done": [b for b in queue if b.status not in (S.BOOKED, S.ARRIVED)],
        **_s3_context(queue),
        "check_in_form": check_in_form or CheckInForm(),
        "walk_in_form": walk_in_form or WalkInForm(),
    }


def _s3_context(queue: list[Booking]) -> dict:
    return {
        "s3": visits_flagged(bookings=queue, now=timezone.now()),
        "s3_warning_minutes": settings.QUEUE_S3_WARNING_MINUTES,
        "s3_refresh_seconds": S3_REFRESH_SECONDS,
    }


@allow(department_staff(STAFF_DEPARTMENT))
@department_staff_required
def staff_s3(request):
    """S-3, live: the panel of today's waits and services close to the hour or over it, which the
    desk page fetches again every 30 seconds. Ticket numbers and minutes only: no personal data."""
    today = timezone.localdate()
    queue = selectors.queue_for_day(department=request.user.department, day=today, include_done=True)
    response = render(request, "queue_booking/_staff_s3.html", _s3_context(queue))
    response["Cache-Control"] = "no-store"
    return response


@allow(department_staff(STAFF_DEPARTMENT))
@department_staff_required
@require_POST
def staff_call(request, public_id):
    """S-3: the person is called in to the specialists; their wait ends and the service starts."""
    return _staff_transition(request, public_id, services.booking_call, _("Ticket %(number)s: called in."))


@allow(department_staff(STAFF_DEPARTMENT))
@department_staff_required
def staff_queue(request):
    """Today's queue in the order of service: arrived with a booking, booked not yet arrived, live queue."""
    return render(request, "queue_booking/staff_queue.html", _queue_context(request))


@allow(department_staff(STAFF_DEPARTMENT))
@department_staff_required
@require_POST
def staff_check_in(request):
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            booking = services.booking_check_in(
                department=request.user.department, code=form.cleaned_data["code"], actor_user=request.user
            )
        except ApplicationError as exc:
            _add_staff_error(form, exc, "code")
        else:
            messages.success(
                request,
                _("Ticket %(number)s: %(name)s has arrived.")
                % {"number": booking.ticket_number, "name": booking.person.full_name},
            )
            return redirect("queue_booking:staff-queue")
    return render(request, "queue_booking/staff_queue.html", _queue_context(request, check_in_form=form))


@allow(department_staff(STAFF_DEPARTMENT))
@department_staff_required
@require_POST
def staff_walk_in(request):
    form = WalkInForm(request.POST)
    if form.is_valid():
        try:
            booking = services.walk_in_add(
                department=request.user.department, person_iin=form.cleaned_data["iin"], actor_user=request.user
            )
        except ApplicationError as exc:
            _add_staff_error(form, exc, "iin")
        else:
            messages.success(
                request,
                _("%(name)s is in the live queue, ticket %(number)s.")
                % {"number": booking.ticket_number, "name": booking.person.full_name},
            )
            return redirect("queue_booking:staff-queue")
    return render(request, "queue_booking/staff_queue.html", _queue_context(request, walk_in_form=form))


def _staff_booking(request, public_id) -> Booking:
    # Another department's booking is "not found", not "forbidden": staff learn nothing about it.
    return get_object_or_404(Booking, public_id=public_id, department_id=request.user.department_id)


def _staff_transition(request, public_id, service, done_message: str):
    booking = _staff_booking(request, public_id)
    try:
        service(booking=booking, actor_user=request.user)
    except ApplicationError as exc:
        messages.error(request, _staff_message(exc))
    else:
        messages.success(request, done_message % {"number": booking.ticket_number})
    return redirect(reverse("queue_booking:staff-queue"))


@allow(department_staff(STAFF_DEPARTMENT))
@department_staff_required
@require_POST
def staff_mark_served(request, public_id):
    return _staff_transition(request, public_id, services.booking_mark_served, _("Ticket %(number)s: served."))


@allow(department_staff(STAFF_DEPARTMENT))
@department_staff_required
@require_POST
def staff_mark_left(request, public_id):
    return _staff_transition(request, public_id, services.booking_mark_left, _("Ticket %(number)s: left."))


# --- the act of an in-person examination (P-8, S-4, S-5) -------------------------------------------


def _act_decision(form: ActForm, booking: Booking) -> dict:
    """The decision of the form, for the visit: at the department, on the visit's day."""
    data = form.cleaned_data
    child = age_on(booking.person.birth_date, booking.day) < 18
    return {
        "kind": data["kind"],
        "place": "department",
        "examined_on": booking.day,
        "recognised": data["recognised"],
        "group": data["group"],
        "cause": data["cause"],
        "category": "child" if child else "adult",
        "term_until": data["term_until"],
        "without_term": data["without_term"],
        "general_capacity_loss": data["general_capacity_loss"],
        "professional_capacity_loss": data["professional_capacity_loss"],
        "ipr_social": data["ipr_social"],
        "ipr_professional": data["ipr_professional"],
        "needs_help_and_care": data["needs_help_and_care"],
    }


def _add_act_errors(form, exc: ApplicationError) -> None:
    for item in exc.items:
        form.add_error(item.field if item.field in form.fields else None, str(item.message))


@allow(department_staff(STAFF_DEPARTMENT))
@department_staff_required
@require_http_methods(["GET", "POST"])
def staff_act(request, public_id):
    """Enter the act of a served visit: the decision, checked; then signed with the staff member's
    EDS over the act's canonical content, and registered (``portal.acts.services.act_register``).

    Only a served visit of the staff member's own department; any other is not found.
    """
    booking = get_object_or_404(
        Booking.objects.select_related("person", "referral", "department__region"),
        public_id=public_id,
        department_id=request.user.department_id,
        status=Booking.Status.SERVED,
    )
    personal_data_read(request, booking, Subject.MSE_ACT, Purpose.MSE_REGISTER)
    existing = list(act_list_for_referral(referral=booking.referral)) if booking.referral_id else []
    context = {"booking": booking, "existing": existing, "signing": None}
    if existing:
        return render(request, "queue_booking/staff_act.html", context)
    initial = {"kind": "repeat" if booking.person.mse_acts.exists() else "primary"}
    form = ActForm(request.POST if request.method == "POST" else None, initial=initial)
    context["form"] = form
    if request.method != "POST" or not form.is_valid() or "edit" in request.POST:
        return render(request, "queue_booking/staff_act.html", context)
    decision = _act_decision(form, booking)
    signer = signer_iin_of(request.user)
    try:
        act_decision_check(person=booking.person, referral=booking.referral, **decision)
    except ApplicationError as exc:
        _add_act_errors(form, exc)
        return render(request, "queue_booking/staff_act.html", context)
    signature = request.POST.get("signature", "").strip()
    if signer and signature:
        try:
            act = act_register(
                actor_user=request.user,
                person=booking.person,
                department=booking.department,
                referral=booking.referral,
                signature=signature,
                **decision,
            )
        except ApplicationError as exc:
            _add_act_errors(form, exc)
        else:
            messages.success(
                request, _("Act %(number)s is registered; the person gets an SMS.") % {"number": act.number}
            )
            return redirect("queue_booking:staff-queue")
    if signer:
        content = act_signed_content(
            person_iin=booking.person.iin,
            department=department_code(booking.department),
            referral=str(booking.referral.public_id) if booking.referral_id else None,
            signer_iin=signer,
            **decision,
        )
        context["signing"] = signing_widget(content=content, target="id_signature")
        context["decision"] = decision
    else:
        form.add_error(None, _("Your account has no signing certificate IIN: ask an administrator to record it."))
    return render(request, "queue_booking/staff_act.html", context)
