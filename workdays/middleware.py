"""One reading of the working-day calendar per web request (see ``workdays.calendar``)."""

from .calendar import _request_calendar


class CalendarPerRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_calendar.set(None)
        try:
            return self.get_response(request)
        finally:
            _request_calendar.reset(token)
