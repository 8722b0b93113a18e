from django.db.models import F

from portal.territory.models import Atu, MseDepartment


def department_for_atu(*, atu: Atu) -> MseDepartment | None:
    """The active department serving ``atu`` or, failing that, its nearest mapped ancestor (Q-3).

    One query for the candidates of the whole chain (the tree is at most three levels deep).
    """
    chain = atu.ancestors_and_self()
    candidates = (
        MseDepartment.objects.filter(is_active=True, atus__in=[a.pk for a in chain])
        .annotate(served_atu_id=F("atus"))
        .select_related("region")
        .order_by("number")
    )
    by_atu: dict[int, MseDepartment] = {}
    for department in candidates:
        by_atu.setdefault(department.served_atu_id, department)
    for unit in chain:
        if unit.pk in by_atu:
            return by_atu[unit.pk]
    return None
