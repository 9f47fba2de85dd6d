"""Published documents are rendered in the worker before anyone asks for them: a version of
the programme (published, or marked adopted) and a consultation report. The domain apps send
signals after their commits; documents, which knows the builders, queues the rendering."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from consultations.signals import report_published
from drafts.signals import version_published
from pdf.cache import builder_path, warm_pdf

from .programme import programme_version_document, round_report_document


@receiver(version_published, dispatch_uid="documents-warm-version")
def warm_version(sender: Any, version_id: int, **kwargs: Any) -> None:
    warm_pdf.delay(builder_path(programme_version_document), str(version_id))


@receiver(report_published, dispatch_uid="documents-warm-report")
def warm_report(sender: Any, round_id: int, **kwargs: Any) -> None:
    warm_pdf.delay(builder_path(round_report_document), str(round_id))
