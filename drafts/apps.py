from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "drafts"
    verbose_name = _("Programme draft")

    def ready(self) -> None:
        # Connects the receiver that gives a new programme its working copy.
        from . import receivers  # noqa: F401
