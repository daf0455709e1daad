"""Project middleware: the session idle timeout and the interface language."""

import time

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

#: How often (seconds) an active user's session expiry is pushed forward.
TOUCH_INTERVAL = 300


class SessionIdleTimeoutMiddleware:
    """Keep a logged-in user's session alive while they use the app.

    The session row's expiry is set to now + SESSION_COOKIE_AGE whenever the session is
    saved; saving it on every request (SESSION_SAVE_EVERY_REQUEST) costs three queries a
    page. Instead the session is marked changed at most every few minutes, so a session
    ends between SESSION_COOKIE_AGE and SESSION_COOKIE_AGE + TOUCH_INTERVAL after the
    user's last request.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.interval = min(TOUCH_INTERVAL, settings.SESSION_COOKIE_AGE // 4)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get("_last_touch", 0) >= self.interval:
                request.session["_last_touch"] = now
        return self.get_response(request)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose otherwise with the language switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, so a
    computer set up in English would greet branch staff in English. Here only the
    language cookie (set by the switcher) overrides LANGUAGE_CODE.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else None
        except LookupError:
            language = None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
