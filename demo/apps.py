from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo campaign and its command (``seed_demo``); no models, URLs or pages."""

    name = "demo"
