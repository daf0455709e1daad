"""Password rules with messages the project translates itself.

Django 5.2 changed the "too short" message's placeholder to ``%d`` while its Chinese catalogue
still translates the old ``%(min_length)d`` text: the most common refusal showed in English.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short: it needs at least %(min_length)d character.",
            "This password is too short: it needs at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
