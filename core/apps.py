from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.urls import register_converter

        from core import prepared
        from core.ids import IdConverter

        connection_created.connect(prepared.install, dispatch_uid="core-prepared-replan")

        # Before any URLconf is imported (Django imports the root URLconf lazily, after the
        # apps are ready), so every urls.py can say <id:pk>.
        register_converter(IdConverter, "id")
