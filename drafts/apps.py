from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "drafts"
    verbose_name = _("Programme draft")

    def ready(self) -> None:
        # Connects the receivers that give a new programme its working copy.
        from teams import cycle

        from . import receivers

        # The cycle's adoption reminder is not sent once the programme is adopted.
        cycle.register_fulfilled(receivers.programme_adopted)
