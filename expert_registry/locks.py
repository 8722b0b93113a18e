"""Every row lock of the registry, in one order: an expert before its application before its test.

A contract (E-6) is locked before its application and its expert: signing and the beat's refusal take
the contract first, so the two cannot both win."""

from __future__ import annotations

from expert_registry.models import Application, Expert, ExpertContract, TestAttempt


def expert_for_update(expert_id: int) -> Expert:
    return Expert.objects.select_for_update().get(pk=expert_id)


def application_for_update(application_id: int) -> Application:
    return Application.objects.select_for_update().select_related("person", "expert").get(pk=application_id)


def attempt_for_update(attempt_id: int) -> TestAttempt:
    return TestAttempt.objects.select_for_update().get(pk=attempt_id)


def person_applications_for_update(person_id: int) -> None:
    """Serialise one person's applications: two submits at once cannot both pass the one-live check."""
    from portal.people.models import Person

    Person.objects.select_for_update().filter(pk=person_id).first()


def contract_for_update(contract_id: int) -> ExpertContract:
    return ExpertContract.objects.select_for_update().get(pk=contract_id)
