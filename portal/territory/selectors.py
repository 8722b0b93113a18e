from django.db.models import Exists, F, OuterRef, QuerySet

from portal.territory.models import Atu, MseDepartment

# A unit and its ancestors checked for the department serving it: the ATU tree is district/city >
# rural okrug > settlement, so three levels; one more is a margin. A unit deeper than this is not
# reached through its top ancestors (it is then visible to its region and to unscoped users only).
ATU_TREE_DEPTH = 4


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


def atus_served_by(department_id: int) -> QuerySet[Atu]:
    """The ATUs whose residents department ``department_id`` receives (Q-3), as one subquery.

    The rule of ``portal.territory.selectors.department_for_atu``: a unit belongs to the departments
    mapping its nearest ancestor-or-self that an active department maps. So: the units the department
    maps, and below each the units no nearer active department claims. Where several departments
    map the same unit, each of them sees its residents.
    """
    through = MseDepartment.atus.through

    def maps(path: str) -> Exists:
        return Exists(through.objects.filter(msedepartment_id=department_id, atu_id=OuterRef(path)))

    def claimed(path: str) -> Exists:
        return Exists(through.objects.filter(msedepartment__is_active=True, atu_id=OuterRef(path)))

    # "pk", "parent", "parent__parent", ...: the unit, then its ancestors upwards.
    paths = ["pk", *("__".join(["parent"] * n) for n in range(1, ATU_TREE_DEPTH))]
    served = maps(paths[-1])
    for path in reversed(paths[:-1]):
        served = maps(path) | (~claimed(path) & served)
    return Atu.objects.filter(served)
