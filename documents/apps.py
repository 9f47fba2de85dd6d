from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # Connects the receivers that warm published documents' PDFs; a module-level import
        # here would load models before the app registry is ready.
        from . import warming  # noqa: F401
