from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Installed only for its command (``generate_scale_data``): no models, URLs or pages.

    ``bench/settings.py`` and ``bench/urls.py`` are used by ``bench/run`` alone.
    """

    name = "bench"
