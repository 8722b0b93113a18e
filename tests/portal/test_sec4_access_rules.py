"""sec4: every entry point declares its access rule: who may call it and which objects it reaches.

The walk covers every URL pattern of the project, pages and API, except Django's and
drf-spectacular's own views listed in ``EXEMPT`` with the reason.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.urls.resolvers import RegexPattern

from portal.accounts.access import (
    PUBLIC,
    STAFF_DEPARTMENT,
    AccessRule,
    Caller,
    Grant,
    ObjectCheck,
    access_rule_of,
    allow,
    anonymous,
    department_staff,
)

# Entry points that are not the project's own code, each with why it needs no declaration here.
EXEMPT_NAMESPACES = {
    "admin": (
        "the Django admin: staff accounts only (AdminSite.has_permission); each ModelAdmin narrows rows, "
        "choices, filters and object permissions to the staff member's area (portal/admin_scoping.py; "
        "tests test_admin_scoping.py and test_sec3_admin_scoping.py)"
    ),
}
EXEMPT_NAMES = {
    "set_language": "Django's language switch: sets the language of the caller's own session, reads no data",
    "api-schema": "drf-spectacular: the OpenAPI description of the API, public, no data",
    "api-docs": "drf-spectacular: the Swagger UI page that shows the schema, public, no data",
}
# Where the exempted views come from: a project view cannot hide behind an exempt name.
EXEMPT_MODULES = ("django.", "drf_spectacular.")


@dataclass
class Route:
    route: str
    name: str | None
    namespace: str | None
    callback: object

    def __str__(self):
        return f"/{self.route} ({self.namespace + ':' if self.namespace else ''}{self.name})"


def walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    """Every URL pattern under ``resolver``, with its full route and innermost namespace."""
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern, route, pattern.namespace or namespace)
        else:
            assert isinstance(pattern, URLPattern)
            yield Route(route, pattern.name, namespace, pattern.callback)


def is_exempt(route: Route) -> bool:
    if route.namespace in EXEMPT_NAMESPACES:
        return True
    if route.name in EXEMPT_NAMES:
        module = getattr(getattr(route.callback, "view_class", route.callback), "__module__", "")
        return module.startswith(EXEMPT_MODULES)
    return False


def rule_problems(route: Route) -> list[str]:
    """Why ``route``'s declaration is missing or incomplete (empty: it is fine)."""
    rule = access_rule_of(route.callback)
    if not isinstance(rule, AccessRule):
        return [f"{route}: no access rule declared"]
    if not rule.grants:
        return [f"{route}: the access rule names nobody"]
    problems = []
    for grant in rule.grants:
        if not isinstance(grant, Grant) or not isinstance(grant.caller, Caller):
            problems.append(f"{route}: {grant!r} is not a grant to a known caller")
        elif not isinstance(grant.check, ObjectCheck) or not grant.check.code or not grant.check.description:
            problems.append(f"{route}: the grant to {grant.caller} has no object check")
        elif grant.scope is not None and grant.caller != Caller.INTEGRATOR:
            problems.append(f"{route}: only integrators' grants name a token scope")
    return problems


def access_problems(resolver: URLResolver) -> list[str]:
    return [p for route in walk(resolver) if not is_exempt(route) for p in rule_problems(route)]


def project_routes() -> list[Route]:
    return [r for r in walk(get_resolver()) if not is_exempt(r)]


def test_sec4_every_view_declares_an_access_rule_with_an_object_check():
    routes = project_routes()
    # the walk reaches pages and the API of every app (a broken walk would pass vacuously)
    names = {r.name for r in routes}
    assert {"home", "healthz", "sign-in", "cabinet", "staff-queue", "dev-inbox"} <= names
    assert {"whoami", "referral-intake", "booking-list", "queue-today", "sms-status-callback"} <= names
    assert len(routes) >= 35
    assert access_problems(get_resolver()) == []


def test_sec4_every_exemption_is_used_and_is_not_project_code():
    routes = list(walk(get_resolver()))
    assert {r.namespace for r in routes} >= set(EXEMPT_NAMESPACES)
    assert {r.name for r in routes} >= set(EXEMPT_NAMES)
    for route in routes:
        if route.name in EXEMPT_NAMES:
            assert is_exempt(route), route


# --- the walk itself ------------------------------------------------------------------------------


def undeclared_view(request):
    return HttpResponse("no rule")


@allow()
def nobody_view(request):
    return HttpResponse("a rule naming nobody")


@allow(Grant(Caller.CITIZEN, None))
def unchecked_view(request):
    return HttpResponse("a grant without an object check")


@allow(anonymous(PUBLIC))
def declared_view(request):
    return HttpResponse("public")


def test_sec4_the_walk_fails_on_an_undeclared_view():
    # given: a URL map with a declared view, an undeclared one, and two incomplete declarations
    resolver = URLResolver(
        RegexPattern(r"^/"),
        [
            path("public/", declared_view, name="public"),
            path(
                "nested/",
                (
                    [path("undeclared/", undeclared_view, name="undeclared")],
                    "nested",
                    "nested",
                ),
            ),
            path("nobody/", nobody_view, name="nobody"),
            path("unchecked/", unchecked_view, name="unchecked"),
        ],
    )
    # when
    problems = access_problems(resolver)
    # then: each bad one is named, the declared one is not
    assert problems == [
        "/nested/undeclared/ (nested:undeclared): no access rule declared",
        "/nobody/ (nobody): the access rule names nobody",
        "/unchecked/ (unchecked): the grant to citizen has no object check",
    ]


def test_sec4_a_class_view_must_declare_its_own_rule_not_inherit_it():
    from rest_framework.views import APIView

    class Base(APIView):
        access_rule = allow(department_staff(STAFF_DEPARTMENT))

    class Changed(Base):
        pass

    class Declared(Base):
        access_rule = allow(department_staff(STAFF_DEPARTMENT))

    assert access_rule_of(Base.as_view()) is Base.access_rule
    assert access_rule_of(Changed.as_view()) is None
    assert access_rule_of(Declared.as_view()) is Declared.access_rule


def test_sec4_an_exempt_name_does_not_hide_a_project_view():
    route = Route("docs/", "api-docs", None, undeclared_view)
    assert not is_exempt(route)
    assert rule_problems(route) == ["/docs/ (api-docs): no access rule declared"]


# --- the declarations match what the views check ----------------------------------------------


def _scopes_required(view_class) -> set[str]:
    names = [getattr(p, "__name__", "") for p in getattr(view_class, "permission_classes", [])]
    return {m.group(1) for n in names if (m := re.fullmatch(r"HasScope\[(.+)\]", n))}


def test_sec4_integrator_grants_name_the_scope_the_api_requires():
    checked = 0
    for route in project_routes():
        view_class = getattr(route.callback, "view_class", None)
        rule = access_rule_of(route.callback)
        if view_class is None or not hasattr(view_class, "permission_classes"):
            continue
        declared = {g.scope for g in rule.grants if g.caller == Caller.INTEGRATOR and g.scope}
        assert declared == _scopes_required(view_class), route
        checked += 1
    assert checked >= 10


def _sample_url(route: Route) -> str:
    """The route with a sample value for each converter, in the default language (no prefix)."""
    samples = {"uuid": str(uuid.uuid4()), "int": "1", "str": "v1", "path": "x"}

    def value(match):
        converter, name = match.group(1) or "str", match.group(2)
        if name == "day":
            return "2030-01-07"
        return samples[converter]

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route.route)


@pytest.mark.django_db
def test_sec4_views_without_an_anonymous_grant_refuse_anonymous_callers(client):
    # a view declaring no anonymous (or signed callback) grant must not answer an anonymous caller
    refused = 0
    for route in project_routes():
        callers = {g.caller for g in access_rule_of(route.callback).grants}
        if callers & {Caller.ANONYMOUS, Caller.SIGNED_CALLBACK}:
            continue
        url = _sample_url(route)
        for method in (client.get, client.post):
            status = method(url).status_code
            assert status in {302, 401, 403, 404, 405}, (str(route), url, status)
            if status == 302:
                assert "sign-in" in method(url)["Location"], url
        refused += 1
    assert refused >= 25
