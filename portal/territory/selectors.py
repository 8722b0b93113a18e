from portal.territory.models import Atu, MseDepartment


def department_for_atu(*, atu: Atu) -> MseDepartment | None:
    """The active department serving ``atu`` or, failing that, its nearest mapped ancestor (Q-3)."""
    chain = atu.ancestors_and_self()
    rows = (
        MseDepartment.objects.filter(is_active=True, atus__in=[a.pk for a in chain])
        .select_related("region")
        .values_list("pk", "atus")
    )
    by_atu = {}
    for dept_id, atu_id in rows:
        by_atu.setdefault(atu_id, dept_id)
    for unit in chain:
        if unit.pk in by_atu:
            return MseDepartment.objects.select_related("region").get(pk=by_atu[unit.pk])
    return None
