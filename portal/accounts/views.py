from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal.accounts.access import OWN_ACCOUNT, SIGN_IN, allow, anonymous
from portal.accounts.forms import CodeForm, IinForm
from portal.accounts.middleware import citizen_session_start
from portal.accounts.services import sign_in_code_request, sign_in_code_verify
from portal.accounts.throttling import client_address
from portal.errors import ApplicationError


def _home() -> str:
    """The home page in the page's language (``/kk/``, ``/en/``, or ``/`` for Russian): signing in or
    out never switches the language (X-1)."""
    return reverse("home")


def _next_url(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or _home()
    return nxt if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) else _home()


@allow(anonymous(SIGN_IN))
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    """Step 1: the citizen gives an IIN; a code goes to the registered phone, if it has one.

    Every valid IIN leads to the same next page (sec6): only the client's own address budget can
    refuse, and that answer is the same for any IIN.
    """
    form = IinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sign_in_code_request(iin=form.cleaned_data["iin"], address=client_address(request), language=get_language())
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            request.session["sign_in_iin"] = form.cleaned_data["iin"]
            request.session["sign_in_next"] = _next_url(request)
            return redirect("accounts:sign-in-code")
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next_url(request)})


@allow(anonymous(SIGN_IN))  # the code of the IIN this session asked for, nothing else
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    """Step 2: the citizen types the code from the SMS."""
    iin = request.session.get("sign_in_iin")
    if not iin:
        return redirect("accounts:sign-in")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_in_code_verify(
                iin=iin, code=form.cleaned_data["code"], address=client_address(request), language=get_language()
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            nxt = request.session.pop("sign_in_next", None) or _home()
            request.session.pop("sign_in_iin", None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            citizen_session_start(request)
            messages.success(request, _("You are signed in."))
            return redirect(nxt)
    masked = f"{iin[:4]}••••••{iin[-2:]}"
    context = {
        "form": form,
        "masked_iin": masked,
        "code_minutes": settings.SIGN_IN_CODE_TTL_SECONDS // 60,
        "codes_per_15_minutes": settings.SIGN_IN_CODES_PER_15_MINUTES,
    }
    return render(request, "accounts/sign_in_code.html", context)


def staff_lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out user name and address: a page in the user's language, 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/staff_locked_out.html", {"cooloff_minutes": minutes}, status=429)


@allow(anonymous(OWN_ACCOUNT))
@require_POST
def sign_out(request):
    logout(request)
    return redirect(_home())


class StaffSignInView(LoginView):
    """Staff and operators sign in with a password.

    django-axes (first of ``AUTHENTICATION_BACKENDS``) counts wrong passwords per user name and client
    address, here and on the admin's login page alike; past the limit the pair waits the cool-off and
    gets ``staff_lockout`` instead.
    """

    access_rule = allow(anonymous(SIGN_IN))
    template_name = "accounts/staff_sign_in.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # Without a next page: the home page in the sign-in page's language, not LOGIN_REDIRECT_URL's "/".
        return _home()
