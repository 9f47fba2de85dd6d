"""allauth hooks: where a person lands after logging in."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from . import permissions


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # Somebody who cannot contribute yet needs the next step (organisation, approval),
        # which their account page explains.
        if not permissions.can_contribute(request.user):
            return reverse("teams:my-account")
        return super().get_login_redirect_url(request)
