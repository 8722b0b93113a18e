"""The core's factories live in ``tests/portal/factories.py``; this module keeps older imports working."""

from tests.portal.factories import (
    AtuFactory,
    DepartmentFactory,
    GuardianshipFactory,
    IntegratorFactory,
    MedicalOrganisationFactory,
    PersonFactory,
    ReferralFactory,
    RegionFactory,
    UserFactory,
)

__all__ = [
    "AtuFactory",
    "DepartmentFactory",
    "GuardianshipFactory",
    "IntegratorFactory",
    "MedicalOrganisationFactory",
    "PersonFactory",
    "ReferralFactory",
    "RegionFactory",
    "UserFactory",
]
