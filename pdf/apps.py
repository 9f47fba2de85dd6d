from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class PdfConfig(AppConfig):
    name = "pdf"
    verbose_name = _("PDF renderings")

    def ready(self) -> None:
        from . import checks as pdf_checks

        checks.register(pdf_checks.check_web_timeout)
