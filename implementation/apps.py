from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImplementationConfig(AppConfig):
    name = "implementation"
    verbose_name = _("Implementation of the programme")

    def ready(self) -> None:
        from teams import cycle

        from . import notices  # noqa: F401  (declares the follow-up's e-mail kinds)
        from .selectors import report_published_for

        cycle.register_fulfilled(report_published_for)
