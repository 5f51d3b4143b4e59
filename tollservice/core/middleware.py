"""The language a page is shown in."""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose another language with the switch on every page.

    Django's own middleware would follow the browser's Accept-Language header, so a station PC
    or a driver's phone set up in English would open the portal in English. The station works
    in Chinese: only an explicit choice (the language cookie the switch sets) changes it.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:  # a stale or forged cookie
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The page depends on the cookie, not on Accept-Language (the cookie already varies it).
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
