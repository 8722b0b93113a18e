"""Request middleware of the shared core."""

from django.utils import translation

API_PREFIX = "/api/"


class ApiLanguageMiddleware:
    """Answer API callers in the language of their ``Accept-Language`` header (X-1).

    ``LocaleMiddleware`` gives every path without a language prefix the default language when the
    pages use ``i18n_patterns(prefix_default_language=False)``, so on its own it ignores the header
    for ``/api/``. Placed after it, this middleware activates the caller's language for API paths.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
