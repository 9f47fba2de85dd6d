"""Forms for accounts, organisations and roles: they validate and normalise, services write."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.languages import LanguageSelect
from core.text import MultilineField, NameField, collapse_spaces

from .meeting_forms import interpolate_lazy
from .models import LegalForm, Organisation, ProgrammeKind, Team, User, normalise_number
from .signals import WorkingCopyStart

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REASON_LIMIT = 500
NAME_LIMIT = 150


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (e-mail, password twice) plus an optional name and the consent to show
    it. The template shows the information clause (RODO) next to it."""

    first_name = NameField(label=_("First name (optional)"), max_length=NAME_LIMIT, required=False)
    last_name = NameField(label=_("Last name (optional)"), max_length=NAME_LIMIT, required=False)
    show_name_publicly = forms.BooleanField(
        label=_("Show my name next to my contributions"),
        required=False,
        help_text=_("Without this consent only your organisation or your role is shown."),
    )

    field_order = [
        "email",
        "first_name",
        "last_name",
        "password1",
        "password2",
        "show_name_publicly",
    ]

    def custom_signup(self, request: HttpRequest, user: User) -> None:
        user.show_name_publicly = self.cleaned_data.get("show_name_publicly", False)
        language = translation.get_language() or "pl"
        user.language = "en" if language.startswith("en") else "pl"
        user.save(update_fields=["show_name_publicly", "language"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "show_name_publicly", "language"]
        field_classes = {"first_name": NameField, "last_name": NameField}
        widgets = {"language": LanguageSelect}
        labels = {
            "first_name": _("First name (optional)"),
            "last_name": _("Last name (optional)"),
        }


class OrganisationForm(forms.ModelForm):
    """Registers an organisation. NIP, REGON and KRS are normalised (spaces and dashes dropped,
    full-width digits read as digits); a NIP, REGON or KRS already registered is refused and
    ``duplicate_of`` names the organisation."""

    # Wider than the model's columns so that "856-734-62-15" reaches normalisation; the model's
    # validators check the normalised value.
    nip = forms.CharField(label=_("NIP"), max_length=32, required=False, help_text=_("10 digits."))
    regon = forms.CharField(
        label=_("REGON"), max_length=32, required=False, help_text=_("9 or 14 digits.")
    )
    krs = forms.CharField(
        label=_("KRS (optional)"),
        max_length=32,
        required=False,
        help_text=_("10 digits, e.g. 0000359730. Some organisations have none."),
    )

    # Declared (and left out of Meta.fields) only to choose https as the assumed scheme.
    website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )

    class Meta:
        model = Organisation
        fields = ["name", "legal_form", "nip", "regon", "krs", "address"]
        field_classes = {"name": NameField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duplicate_of: Organisation | None = None
        self.fields["name"].help_text = _("The full name, as in the register.")
        if self.instance.pk is None:
            # Chosen, not assumed: a foundation registered as the model's default association
            # went unnoticed.
            legal_form = cast(forms.ChoiceField, self.fields["legal_form"])
            legal_form.choices = [("", _("Choose the legal form")), *LegalForm.choices]
            legal_form.initial = ""

    def clean_name(self) -> str:
        name = collapse_spaces(self.cleaned_data.get("name", ""))
        if not name:
            raise forms.ValidationError(_("Give the organisation's name."), code="required")
        return name

    def clean_address(self) -> str:
        return collapse_spaces(self.cleaned_data.get("address", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A NIP or REGON that was typed but refused above (a wrong checksum, already
        # registered) was still given: kept on the unsaved organisation, so that the model's
        # "give its NIP, its REGON, or both" (Organisation.clean) does not contradict the error.
        for name in ("nip", "regon"):
            if name in self.errors:
                typed = normalise_number(str(self.data.get(self.add_prefix(name), "")))
                setattr(self.instance, name, typed)
        return data

    def _refuse_duplicate(self, field: str, value: str, message: StrOrPromise) -> None:
        existing = Organisation.objects.filter(**{field: value}).exclude(pk=self.instance.pk)
        organisation = existing.first()
        if organisation is not None:
            self.duplicate_of = organisation
            raise forms.ValidationError(
                message, code="duplicate", params={"name": organisation.name}
            )

    def clean_nip(self) -> str:
        nip = normalise_number(self.cleaned_data.get("nip", ""))
        if nip:
            self._refuse_duplicate(
                "nip",
                nip,
                _("An organisation with this NIP is already registered: %(name)s."),
            )
        return nip

    def clean_regon(self) -> str:
        regon = normalise_number(self.cleaned_data.get("regon", ""))
        if regon:
            self._refuse_duplicate(
                "regon",
                regon,
                _("An organisation with this REGON is already registered: %(name)s."),
            )
        return regon

    def clean_krs(self) -> str:
        krs = normalise_number(self.cleaned_data.get("krs", ""))
        if krs.isdigit() and len(krs) < 10:
            krs = krs.zfill(10)  # KRS numbers are written with leading zeros
        if krs:
            self._refuse_duplicate(
                "krs",
                krs,
                _("An organisation with this KRS number is already registered: %(name)s."),
            )
        return krs


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, NIP or KRS"), max_length=300, required=False, strip=True)


class DecisionForm(forms.Form):
    """Approve or reject a request; a reason is optional and goes into the audit log."""

    APPROVE = "approve"
    REJECT = "reject"

    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))])
    reason = MultilineField(
        label=_("Reason (optional)"),
        max_length=REASON_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=interpolate_lazy(_("At most %(limit)d characters."), {"limit": REASON_LIMIT}),
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "name_en", "other_names", "slug", "description", "position"]
        field_classes = {
            "name": NameField,
            "name_en": NameField,
            "other_names": NameField,
            "description": MultilineField,
        }
        widgets = {"name_en": forms.TextInput(attrs={"lang": "en"})}

    def clean_name(self) -> str:
        name = collapse_spaces(self.cleaned_data.get("name", ""))
        if not name:
            raise forms.ValidationError(_("Give the team's name."), code="required")
        return name

    def clean_name_en(self) -> str:
        name_en = collapse_spaces(self.cleaned_data.get("name_en", ""))
        if name_en.lower().startswith("branch team"):
            # Pages put "Branch team" before it: it would read twice.
            raise forms.ValidationError(
                _("Give only what follows “Branch team”, e.g. “for culture”."),
                code="branch_team",
            )
        return name_en


class ModeratorAppointForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the new moderator"),
        help_text=_("The person must already have an account on the portal."),
    )

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No active account uses this e-mail address."), code="unknown"
            )
        return user


class GlobalRolesForm(forms.Form):
    is_expert = forms.BooleanField(label=_("expert"), required=False)
    is_official = forms.BooleanField(label=_("city official"), required=False)


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("E-mail or name"), max_length=254, required=False)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("This is not your password. Your account was not deleted."),
                code="wrong_password",
            )
        return password


# --- Programmes (issue 13) -----------------------------------------------------------------------

YEAR_MIN, YEAR_MAX = 2000, 2100


class ProgrammeForm(forms.Form):
    """Starts a programme. The rules of the period (order, one year for an annual programme,
    no overlap) are the service's (teams.services.programme_create)."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=ProgrammeKind.choices, widget=forms.RadioSelect
    )
    title = NameField(label=_("Title"), max_length=300)
    period_start = forms.IntegerField(label=_("First year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    period_end = forms.IntegerField(
        label=_("Last year"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        required=False,
        help_text=_("For an annual programme leave it empty: the first year."),
    )
    carry_over_teams = forms.BooleanField(
        label=_("Carry over the teams of the current programme of this kind"),
        required=False,
        help_text=_(
            "New teams with the same names, descriptions, moderators and members; each person "
            "is told by e-mail and may leave."
        ),
    )
    working_copy = forms.ChoiceField(
        label=_("The draft's working copy starts from"),
        choices=WorkingCopyStart.choices,
        initial=WorkingCopyStart.TEMPLATE,
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period_end") is None and data.get("period_start") is not None:
            data["period_end"] = data["period_start"]
        return data


class ProgrammeTitleForm(forms.Form):
    title = NameField(label=_("Title"), max_length=300)
