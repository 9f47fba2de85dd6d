"""The register's form: a comment received outside the portal, with its original.

The original's type is read from its first bytes (PDF, JPEG, PNG), never from its name or
the browser's content type: an HTML page named ``.pdf`` is refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import NameField
from teams.models import Organisation

from .forms import CommentForm, ItemChoiceMixin, Text
from .models import Channel, Comment, Round
from .register_services import (
    Original,
    Submitter,
    WithdrawalKind,
    received_at_problem,
    unit_problem,
    withdrawal_received_problem,
)
from .selectors import RoundItems

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ORIGINAL_LIMIT_MB = 10
ORIGINAL_LIMIT = ORIGINAL_LIMIT_MB * 1024 * 1024

# The first bytes of each accepted type → the extension the stored file gets.
SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
]
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def original_type(upload: UploadedFile) -> str | None:
    """The extension of an accepted type, from the file's first bytes; None otherwise."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, extension in SIGNATURES:
        if head.startswith(magic):
            return extension
    return None


def check_upload(
    upload: UploadedFile,
    *,
    extensions: tuple[str, ...],
    limit_mb: int,
    too_large: StrOrPromise,
    wrong_type: StrOrPromise,
) -> Original:
    """An upload of one of ``extensions`` (read from its content, not its name) of at most
    ``limit_mb`` MB, as an Original; otherwise a ValidationError with the message given
    (``too_large`` gets the limit as ``%(limit)s``). The register's originals and the
    report's annexes (consultations.report_forms) ask this."""
    if upload.size is None or upload.size > limit_mb * 1024 * 1024:
        raise forms.ValidationError(too_large % {"limit": limit_mb})
    extension = original_type(upload)
    if extension is None or extension not in extensions:
        raise forms.ValidationError(wrong_type)
    return Original(file=upload, extension=extension, name=upload.name or "")


def check_original(upload: UploadedFile) -> Original:
    """The upload as an Original, or a ValidationError naming the limit or the types."""
    return check_upload(
        upload,
        extensions=("pdf", "jpg", "png"),
        limit_mb=ORIGINAL_LIMIT_MB,
        too_large=_("The original is larger than %(limit)s MB; scan it at a lower resolution."),
        wrong_type=_(
            "The original must be a PDF, JPEG or PNG file (its content is checked, not its name)."
        ),
    )


class VersionedForm(forms.Form):
    """A form that acts only on the version of the comment it was shown with: ``version``
    travels hidden, and the service refuses with a ConflictError carrying the comment as
    stored now when someone changed it meanwhile."""

    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)

    def shown_version(self) -> int:
        """The version the page was shown with; 0 (never stored) when the post lacks it, so
        a page from before versions were carried is a conflict, not a blind write."""
        return self.cleaned_data.get("version") or 0

    def rearm(self, version: int) -> None:
        """After a conflict: carry the version now stored, so that a deliberate resubmit of
        the typed values (shown beside the stored ones) goes through."""
        data = QueryDict(mutable=True)
        data.update(self.data)
        data["version"] = str(version)
        self.data = data


class RegisterForm(ItemChoiceMixin, VersionedForm):
    """A comment received by e-mail, ePUAP, post, in person, at an open meeting or a duty hour."""

    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[c for c in Channel.choices if c[0] != Channel.ONLINE],
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        help_text=_("Europe/Warsaw time: when the comment reached the office."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Submitter: an organisation on the portal"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    new_organisation = NameField(
        label=_("…or a new organisation (its name)"),
        max_length=300,
        required=False,
        help_text=_("It is added to the portal as unverified."),
    )
    person_name = NameField(label=_("…or a person (their name)"), max_length=300, required=False)
    person_name_public = forms.BooleanField(
        label=_("The person agrees to publish their name"),
        required=False,
        help_text=_("Without consent the report shows “private person”."),
    )
    item = forms.ChoiceField(label=_("Comment on"), required=False)
    # The portal's comment form's field: a letter on "§ 5 ust. 2 pkt 3" is recorded as that.
    unit = CommentForm.base_fields["unit"]
    text = Text(label=_("Comment"))
    proposed_wording = Text(label=_("Proposed wording (optional)"), required=False)
    submitter_justification = Text(
        label=_("Justification of the comment (optional)"), required=False
    )
    original = forms.FileField(
        label=_("Original (optional)"),
        required=False,
        help_text=_("A scan, photo or PDF of what was received: PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(
        self,
        *args: Any,
        round_: Round,
        items: RoundItems,
        comment: Comment | None = None,
        **kwargs: Any,
    ) -> None:
        if comment is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(comment)
        super().__init__(*args, **kwargs)
        self.round = round_
        self.comment = comment
        self._offer(items)

    def clean_received_at(self) -> Any:
        value = self.cleaned_data["received_at"]
        problem = received_at_problem(self.round, value)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_unit(self) -> str:
        """The unit as typed (the service names it); refused here, at the field, by the
        service's own rule when the chosen paragraph has no such section or point."""
        typed = self.cleaned_data.get("unit") or ""
        if "item" in self.errors:
            return typed  # said at the item; a unit of no item is not checked
        problem = unit_problem(self.round, self.cleaned_data.get("item"), typed, self.comment)
        if problem:
            raise forms.ValidationError(problem)
        return typed

    def clean_original(self) -> Original | None:
        upload = self.cleaned_data.get("original")
        if not upload:
            return None
        return check_original(upload)

    def clean(self) -> dict[str, Any]:
        super().clean()
        given = [
            bool(self.cleaned_data.get("organisation")),
            bool(self.cleaned_data.get("new_organisation")),
            bool(self.cleaned_data.get("person_name")),
        ]
        if sum(given) != 1:
            raise forms.ValidationError(
                _("Give the submitter once: an organisation on the portal, a new one, or a person.")
            )
        return self.cleaned_data

    def note_file_not_kept(self) -> None:
        """A form sent back for corrections cannot hand the chosen file back (browsers never
        refill a file input): say so at the field, unless the file itself was refused."""
        upload = self.files.get("original")
        if upload is not None and "original" not in self.errors:
            self.add_error(
                "original",
                _("The file you chose (%(name)s) was not saved: choose it again.")
                % {"name": upload.name},
            )

    def submitter(self) -> Submitter:
        data = self.cleaned_data
        return Submitter(
            organisation=data.get("organisation"),
            new_organisation=data.get("new_organisation") or "",
            person=data.get("person_name") or "",
            name_public=bool(data.get("person_name_public")),
        )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "channel": data["channel"],
            "received_at": data["received_at"],
            "submitter": self.submitter(),
            "text": data["text"],
            "proposed_wording": data.get("proposed_wording") or "",
            "submitter_justification": data.get("submitter_justification") or "",
            "item": data.get("item"),
            "paragraph_unit": data.get("unit") or "",
            "original": data.get("original"),
        }


def initial_for(comment: Comment) -> dict[str, Any]:
    """The register form filled with a registered comment, for its correction."""
    return {
        "channel": comment.channel,
        "received_at": timezone.localtime(comment.received_at) if comment.received_at else None,
        "organisation": comment.organisation_id,
        "person_name": comment.submitter_name,
        "person_name_public": comment.submitter_name_public,
        "item": comment.item_key,
        "unit": comment.paragraph_unit,
        "text": comment.text,
        "proposed_wording": comment.proposed_wording,
        "submitter_justification": comment.submitter_justification,
        "version": comment.version,
    }


class WithdrawRegisteredForm(VersionedForm):
    """Why a registered comment is withdrawn, on its confirmation page, which carries the
    version of the comment it showed: a comment corrected (or settled) meanwhile is not
    withdrawn unseen."""

    kind = forms.ChoiceField(
        label=_("Why is it withdrawn?"),
        choices=WithdrawalKind.choices,
        widget=forms.RadioSelect,
    )
    withdrawal_received_at = forms.DateTimeField(
        label=_("The sender's withdrawal was received at"),
        required=False,
        help_text=_(
            "Only for the sender's withdrawal, Europe/Warsaw time. It is accepted if it reached "
            "the office before the round closed."
        ),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = Text(
        limit=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Reason (shown in the register)"),
        help_text=_(
            "For example: “The sender withdrew it in a letter received on 12 May 2025.” or "
            "“Registered twice by mistake: a duplicate of KZ/2025/0042.”"
        ),
    )

    def __init__(self, *args: Any, comment: Comment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.comment = comment
        self.fields["version"].initial = comment.version

    def clean(self) -> dict[str, Any]:
        super().clean()
        if self.cleaned_data.get("kind") == WithdrawalKind.SENDER:
            problem = withdrawal_received_problem(
                self.comment, self.cleaned_data.get("withdrawal_received_at")
            )
            if problem and "withdrawal_received_at" not in self.errors:
                self.add_error("withdrawal_received_at", problem)
        return self.cleaned_data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "version": self.shown_version(),
            "kind": data["kind"],
            "reason": data["reason"],
            "withdrawal_received_at": data.get("withdrawal_received_at"),
        }
