from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("People, organisations and teams")

    def ready(self) -> None:
        # Declares teams' notification kinds (notifications.registry); a module-level import
        # here would load models before the app registry is ready.
        from . import notices  # noqa: F401
