"""Idle timeout for sessions without writing the session on every request."""

import time

from django.conf import settings

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
