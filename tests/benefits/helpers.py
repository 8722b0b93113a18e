"""Shared pieces of the benefits' tests: the clock, uploaded files, the users who act (citizens, staff,
the State Corporation's API client), the survivor benefit's form rows and running calls at once."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from benefits.models import Dependant
from benefits.services_survivor import DependantInput, survivor_application_file
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.accounts.services import api_token_create, integrator_create
from portal.errors import ApplicationError
from portal.validators import iin_build
from tests.portal.factories import PersonFactory

TZ = timezone.get_default_timezone()


def at(y: int, m: int, d: int, h: int = 10, minute: int = 0) -> dt.datetime:
    """That moment in the portal's time zone (Almaty)."""
    return timezone.make_aware(dt.datetime(y, m, d, h, minute), TZ)


# --- uploaded files ----------------------------------------------------------------------------------

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00 this is a program"


def upload(data: bytes, name: str = "scan.pdf") -> io.BytesIO:
    """A file as a form or the API receives it (a fresh one per call: a request reads it to the end)."""
    f = io.BytesIO(data)
    f.name = name
    return f


def stored_files(root: Path) -> list[Path]:
    """The files under the private storage root (the ``private_root`` fixture), none if it is absent."""
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- who acts -------------------------------------------------------------------------------------------


def citizen_user(person) -> User:
    """The person's portal account in the citizen group, as signing up leaves it."""
    user = User.objects.create(username=f"iin{person.iin}", person=person)
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    return user


def staff(role: str | None, *perms: str, with_person: bool = True, **scope) -> User:
    """A staff user in the role's group (none for ``None``) with the permissions ("app_label.codename")
    and the scope given (region, department); read again so that no permission is cached."""
    if with_person:
        scope.setdefault("person", PersonFactory())
    user = User.objects.create(username=f"staff-{User.objects.count()}", is_staff=True, **scope)
    if role:
        user.groups.add(Group.objects.get(name=role))
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return User.objects.get(pk=user.pk)


def region_handler(region) -> User:
    """Benefits staff of the region's area (service provider) who may handle its applications."""
    return staff(Role.PROVIDER_STAFF, "benefits.change_application", region=region)


def national_handler() -> User:
    """Benefits staff of the committee (national: every region's applications) who may handle them."""
    return staff(Role.COMMITTEE_STAFF, "benefits.change_application", with_person=False)


def integrator_client(
    name: str = "State Corporation", kind: str = "goscorp", scopes: Iterable[str] = ("benefits:write", "benefits:read")
) -> tuple[object, APIClient]:
    """An integrator (the State Corporation unless told) and an API client holding its token."""
    integrator = integrator_create(name=name, kind=kind)
    _token, key = api_token_create(integrator=integrator, name="t", scopes=list(scopes))
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return integrator, c


# --- the survivor benefit's page ------------------------------------------------------------------------

CHILD_BORN = dt.date(2015, 5, 5)


def child_iin(n: int, born: dt.date = CHILD_BORN) -> str:
    return iin_build(born, female=False, serial=500 + n * 20)


def a_child(n: int, **kw) -> dict:
    """A dependant row of the survivor benefit's form: child ``n`` with its birth certificate's number."""
    return {"iin": child_iin(n), "relation": "child", "kinship_document": f"birth I-{n}", **kw}


def survivor_form(dependants: list[dict], **extra) -> dict:
    """The survivor benefit's page as filled in for oneself, the right arisen 20 days ago, the rows given
    (and one left empty); ``extra`` adds or replaces fields."""
    data = {
        "applicant": "self",
        "right_arose_on": (timezone.localdate() - dt.timedelta(days=20)).isoformat(),
        "death_document_number": "death I-1",
        "consent_personal_data": "on",
        "dependants-TOTAL_FORMS": str(len(dependants) + 1),
        "dependants-INITIAL_FORMS": "0",
        "dependants-MIN_NUM_FORMS": "0",
        "dependants-MAX_NUM_FORMS": "20",
    }
    for i, row in enumerate(dependants):
        data.update({f"dependants-{i}-{k}": v for k, v in row.items()})
    data.update(extra)
    return data


# --- the survivor benefit's carer (B-15) ---------------------------------------------------------------

CARER = "900101300017"


def carer_filed(
    *, youngest: dt.date, on: dt.datetime, right_arose_on: dt.date | None = None, work_book: str = ""
) -> Dependant:
    """A survivor benefit filed at ``on`` (Almaty) for the youngest child and the carer (``CARER``) who
    stopped working to care for them; the right arose 30 days before unless told. Returns the carer."""
    survivor_application_file(
        applicant=PersonFactory(phone="+77011234567"),
        deceased_iin="850315400005",
        right_arose_on=right_arose_on or on.date() - dt.timedelta(days=30),
        death_document="death I-1",
        dependants=[
            DependantInput(
                iin=iin_build(youngest, female=False, serial=520),
                birth_date=youngest,
                relation="child",
                kinship_document="birth certificate I-1",
            ),
            DependantInput(
                iin=CARER,
                birth_date=dt.date(1990, 1, 1),
                relation="carer",
                kinship_document="marriage I-9",
                youngest_cared_birth_date=youngest,
                work_book_record=work_book,
            ),
        ],
        now=timezone.make_aware(on, TZ),
    )
    return Dependant.objects.get(relation="carer")


# --- real concurrency (PostgreSQL) -------------------------------------------------------------------


def run_at_once(*calls: Callable[[], object]) -> tuple[list[str], list[BaseException]]:
    """Run each call in its own thread, all released together by one barrier, each closing its
    database connection, and wait for them. Returns the codes of the ``ApplicationError`` raised and
    every other exception."""
    barrier = threading.Barrier(len(calls))
    refused: list[str] = []
    errors: list[BaseException] = []

    def worker(call):
        try:
            barrier.wait()
            call()
        except ApplicationError as exc:
            refused.append(exc.code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return refused, errors
