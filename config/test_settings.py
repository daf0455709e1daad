"""Settings for the test suite: the real settings with the few things tests cannot use."""

import os

# Tests talk plain HTTP to the test client and the live server, and serve static files
# from the source folders without collectstatic.
os.environ.setdefault("DJANGO_SECURE", "false")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "false")
# Debug stays off as in production, so the tests bring their own key.
os.environ.setdefault("DJANGO_SECRET_KEY", "django-insecure-test-key-" + "0" * 40)
# Files stay in folders (tests/conftest.py gives each test its own): the S3 tests start
# their own store (tests/core/test_s3_storage.py), so a developer's bucket is never written.
os.environ.pop("DJANGO_STORAGE_S3_BUCKET", None)

from config.settings import *  # noqa: F403

# Argon2 is deliberately slow; tests that check the production hasher read config.settings.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405

# The suite reads one database: the replica tests point at a real standby themselves
# (tests/core/test_replica.py), so a developer's DATABASE_REPLICA_URL changes nothing here.
DATABASES.pop("replica", None)  # noqa: F405
DATABASE_ROUTERS = []
