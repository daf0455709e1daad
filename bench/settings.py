"""Settings for the benchmark only (``bench/run``): the project's settings, the project's URLs
plus ``/bench/ceiling/``.

Production never loads this module, so the bare ceiling view is never exposed there. Static
files are served from their source folders (no ``collectstatic`` needed); everything else is
read from the environment exactly as in production (``config/settings.py``).
"""

import os
import warnings

os.environ.setdefault("DJANGO_STATIC_MANIFEST", "false")

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# Static files come from the source folders: whitenoise need not warn that STATIC_ROOT is empty.
warnings.filterwarnings("ignore", message="No directory at")
