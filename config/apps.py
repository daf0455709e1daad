"""The third-party apps' names in the reader's language: django-axes and
django-simple-captcha name themselves in English only ("Axes", "Captcha"), which the
admin's index and its permission lists show. Their configs here add a translated name;
``config/third_party_strings.py`` gives their models' and fields' words the Chinese their
packages lack."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in lock-out")


class CaptchaConfig(AppConfig):
    name = "captcha"
    verbose_name = _("Opinion box challenges")
