#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import secrets
import sys

#: Commands that only read the code and write files in the repository: nothing they do is
#: signed, so without DJANGO_SECRET_KEY they run with a key of their own that dies with the
#: process (never the one published in the repository). Every other command, and the web
#: app, refuse to start without the key while debug is off (config/settings.py).
KEYLESS_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "showmigrations"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
        os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A setting to fix, said in one line rather than under a traceback.
        sys.exit(f"manage.py: {error}")


if __name__ == "__main__":
    main()
