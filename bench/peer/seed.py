"""Seed the peer: one staff member who works the portal's days and hours (09:00-18:00, Mon-Fri).

Run as ``python -m bench.peer.seed`` with the peer's environment; prints ``PEER_SEED={json}``.
"""

import datetime as dt
import json

import django


def main() -> None:
    django.setup()
    from appointment.models import Service, StaffMember, WorkingHours
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="bench-staff", email="staff@bench.invalid", first_name="B")
    service = Service.objects.create(name="MSE visit", duration=dt.timedelta(hours=1), price=0)
    staff = StaffMember.objects.create(
        user=user, slot_duration=60, lead_time=dt.time(9, 0), finish_time=dt.time(18, 0), work_on_saturday=False
    )
    staff.services_offered.add(service)
    for weekday in range(1, 6):  # the package's Monday is 1
        WorkingHours.objects.create(
            staff_member=staff, day_of_week=weekday, start_time=dt.time(9, 0), end_time=dt.time(18, 0)
        )
    print("PEER_SEED=" + json.dumps({"staff_member": staff.pk, "service": service.pk}))


if __name__ == "__main__":
    main()
