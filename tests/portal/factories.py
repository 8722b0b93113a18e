"""factory-boy factories of the shared core (portal), used by every app's tests."""

import datetime as dt

import factory
from django.utils import timezone

from portal.accounts.models import Integrator, User
from portal.people.models import Guardianship, Person
from portal.referrals.models import MedicalOrganisation, MisVendor, Referral
from portal.territory.models import Atu, MseDepartment, Region
from portal.validators import bin_build, iin_build


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("kato",)

    kato = "110000000"
    name_ru = "Акмолинская область"
    name_kk = "Ақмола облысы"
    name_en = "Akmola Region"


class AtuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Atu

    region = factory.SubFactory(RegionFactory)
    kind = Atu.Kind.DISTRICT
    kato = factory.Sequence(lambda n: f"11{n + 1000:07d}")
    name_ru = factory.Sequence(lambda n: f"Район {n}")
    name_kk = factory.Sequence(lambda n: f"{n} ауданы")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MseDepartment
        skip_postgeneration_save = True  # adding ATUs writes the M2M table, not the row

    region = factory.SubFactory(RegionFactory)
    number = factory.Sequence(lambda n: n + 1)
    name_ru = factory.LazyAttribute(lambda o: f"Отдел МСЭ № {o.number}")
    name_kk = factory.LazyAttribute(lambda o: f"№ {o.number} МӘС бөлімі")
    city_ru = "Кокшетау"
    street_ru = "ул. Абая"
    house = "10"
    room_ru = "5"

    @factory.post_generation
    def atus(self, create, extracted, **kwargs):
        if create and extracted:
            self.atus.add(*extracted)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    birth_date = dt.date(1985, 3, 15)
    iin = factory.Sequence(lambda n: iin_build(dt.date(1985, 3, 15), female=False, serial=100 + n * 20))
    last_name = "Сериков"
    first_name = factory.Sequence(lambda n: f"Ерлан{n}")
    patronymic = "Маратович"
    phone = factory.Sequence(lambda n: f"+7701{n % 10_000_000:07d}")
    preferred_language = "ru"
    registration_atu = factory.SubFactory(AtuFactory)
    registration_address = "Кокшетау, ул. Ауэзова, 1"


class GuardianshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardianship

    representative = factory.SubFactory(PersonFactory)
    ward = factory.SubFactory(PersonFactory)
    basis = Guardianship.Basis.PARENT
    document_number = "I-АГ 123456"
    document_date = dt.date(2015, 1, 1)
    valid_from = dt.date(2015, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")


class IntegratorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Integrator

    name = factory.Sequence(lambda n: f"MIS {n}")
    kind = Integrator.Kind.MIS
    user = factory.SubFactory(UserFactory)


class MedicalOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MedicalOrganisation

    name_ru = factory.Sequence(lambda n: f"Городская поликлиника № {n}")
    bin = factory.Sequence(lambda n: bin_build(dt.date(2005, 1, 1), serial=n * 20))
    region = factory.SubFactory(RegionFactory)
    mis_vendor = MisVendor.DAMU
    integrator = factory.SubFactory(IntegratorFactory)


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral signed yesterday, stored directly (bypassing intake routing)."""

    class Meta:
        model = Referral

    person = factory.SubFactory(PersonFactory)
    medical_organisation = factory.SubFactory(MedicalOrganisationFactory)
    external_id = factory.Sequence(lambda n: f"031-{n:06d}")
    icd10 = "I63.5"
    signed_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    vkk_chair_name = "Ахметова Г. С."
    status = Referral.Status.ROUTED
    route = Referral.Route.IN_PERSON
