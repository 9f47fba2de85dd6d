"""Prometheus metrics at ``/metrics``, behind a bearer token (``METRICS_TOKEN``).

Without a token configured the URL answers 404, as it does for a wrong or missing token: the
metrics say how busy the portal is, which is nobody else's business. What is counted in the
database (the outbox's backlog, the PDF queue) is read at each scrape, so every web process
answers the same; the ``process_*`` metrics are the answering process's own. A scrape costs a
few ``COUNT`` queries. See docs/operations.md (Metrics).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, ProcessCollector
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector

from notifications.models import Outbox
from pdf.models import PdfRendering

from . import heartbeat


class PortalCollector(Collector):
    """The portal's own gauges, read from the database (and Redis) at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        pending = Outbox.objects.pending()
        yield GaugeMetricFamily(
            "krakow_ngo_outbox_backlog",
            "E-mails due and not sent yet (retries whose time has come included)",
            value=pending.filter(due_at__lte=now).count(),
        )
        oldest = pending.filter(due_at__lte=now).order_by("due_at").values_list("due_at").first()
        yield GaugeMetricFamily(
            "krakow_ngo_outbox_oldest_due_seconds",
            "How long the oldest unsent due e-mail has waited (0 when none)",
            value=(now - oldest[0]).total_seconds() if oldest else 0.0,
        )
        yield GaugeMetricFamily(
            "krakow_ngo_outbox_failed",
            "E-mails that failed for good (listed at /notifications/failed/)",
            value=Outbox.objects.filter(failed_at__isnull=False, sent_at=None).count(),
        )
        queue = GaugeMetricFamily(
            "krakow_ngo_pdf_queue", "PDF renderings waiting or being made", labels=["status"]
        )
        waiting = (PdfRendering.Status.PENDING, PdfRendering.Status.RUNNING)
        counts = dict(
            PdfRendering.objects.filter(status__in=waiting)
            .values_list("status")
            .annotate(count=Count("pk"))
            .values_list("status", "count")
        )
        for status in waiting:
            queue.add_metric([status.value], counts.get(status, 0))
        yield queue
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            ages = GaugeMetricFamily(
                "krakow_ngo_heartbeat_age_seconds",
                "Seconds since the worker and beat were last seen (krakow_ngo/heartbeat.py)",
                labels=["kind"],
            )
            for kind in ("worker", "beat"):
                age = heartbeat.age(kind)
                if age is not None:
                    ages.add_metric([kind], age)
            yield ages


REGISTRY = CollectorRegistry()
REGISTRY.register(PortalCollector())
ProcessCollector(registry=REGISTRY)


def _authorised(request: HttpRequest) -> bool:
    """``Authorization: Bearer <METRICS_TOKEN>``, compared in constant time. The scheme's name
    is case-insensitive (RFC 9110, 11.1: "bearer" is sent by some clients), the token is not;
    one or more spaces between them."""
    token = settings.METRICS_TOKEN
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    return (
        bool(token)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.lstrip(" ").encode(), token.encode())
    )


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not _authorised(request):
        raise Http404
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
