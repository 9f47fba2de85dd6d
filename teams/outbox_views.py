"""The coordinating team's page of e-mails that failed for good. It lives in teams because
only teams knows who coordinates; the project's URLs keep its name in the ``notifications``
namespace (``notifications:outbox-failed``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from notifications import registry
from notifications.emails import sending_address
from notifications.models import Outbox
from notifications.outbox import outbox_retry

from .http import AuthenticatedRequest
from .permissions import is_coordinator


@login_required
@require_http_methods(["GET", "POST"])
def outbox_failed(request: AuthenticatedRequest) -> HttpResponse:
    """Messages that failed for good, for the coordinating team; each may be sent again."""
    if not is_coordinator(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            row_id = int(request.POST.get("row", ""))
        except ValueError:
            row_id = 0
        if outbox_retry(actor=request.user, row_id=row_id):
            messages.success(request, _("The e-mail will be sent again."))
        else:
            messages.error(request, _("That e-mail is not waiting for a retry; nothing changed."))
        return redirect("notifications:outbox-failed")
    failed = Outbox.objects.filter(failed_at__isnull=False, sent_at=None).order_by("-failed_at")
    rows = []
    for row in failed.select_related("recipient")[:500]:
        declared = registry.kind(row.kind)
        # "Send again" goes to the account's address as it is now (emails.sending_address):
        # shown beside the one it failed at when they differ.
        rows.append((row, declared.label if declared else row.kind, sending_address(row)))
    return render(request, "emails/outbox_failed.html", {"rows": rows, "count": failed.count()})
