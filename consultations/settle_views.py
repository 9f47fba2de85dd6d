"""The settle page: the coordinating team finds, groups and settles a round's comments
(consultations/settling.py reads them; services.comments_settle writes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from teams.http import AuthenticatedRequest

from . import permissions as perms
from . import register_views, services, settling
from .access import get_round_for_user
from .forms import SettleForm
from .views import _own_comment_denied

SETTLE_PER_PAGE = 50


@login_required
def round_settle(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, pk)
    if not (perms.can_settle(request.user, round_) or perms.can_view_audit(request.user, round_)):
        raise PermissionDenied
    can_settle = perms.can_settle(request.user, round_)
    form = SettleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_settle:
            raise PermissionDenied
        if form.is_valid():
            try:
                settled = services.comments_settle(
                    actor=request.user,
                    round_=round_,
                    versions=form.cleaned_data["versions"],
                    disposition=form.cleaned_data["disposition"],
                    justification=form.cleaned_data["justification"],
                )
            except services.ConflictError as error:
                form.add_error(None, str(error))
                status = 409
            except services.OwnComment as refusal:
                _own_comment_denied(request, refusal, "settle")
                form.add_error(None, str(refusal))
                status = 403
            except services.Refused as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(count)s comment(s) settled.") % {"count": len(settled)},
                )
                return redirect(request.get_full_path())
        if status == 200:
            status = 400
    filters = settling.SettleFilterForm(request.GET or None, round_=round_)
    if filters.is_bound and not filters.is_valid() and status == 200:
        status = 400
    comments = settling.settle_page_comments(round_, filters)
    page = Paginator(comments, SETTLE_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    order = filters.value("order")
    first_with_text: dict[str, int] = {}
    for comment in rows:
        key = " ".join(comment.text.lower().split())
        comment.same_as = first_with_text.setdefault(key, comment.pk)
    own = {comment.pk for comment in rows if perms.decides_on_own(request.user, comment)}
    counted = round_.comments.counted()
    return render(
        request,
        "consultations/round_settle.html",
        {
            "round": round_,
            "page": page,
            "groups": settling.page_groups(round_, rows, by_item=not order),
            "filters": filters,
            "filter_query": settling.filter_query(request.GET),
            "form": form,
            "can_settle": can_settle,
            "can_mark_settled": perms.can_mark_settled(request.user, round_),
            "total": counted.count(),
            "unsettled": counted.filter(disposition="").count(),
            "found": page.paginator.count,
            "chosen": set(form.chosen_versions()),
            "own": own,
            **register_views.settle_context(request.user, round_),
        },
        status=status,
    )
