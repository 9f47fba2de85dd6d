"""Forms of the follow-up. Their checks are the rules of implementation.rules, so the page
shows the same message the service would give."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from core.errors import Refused
from core.text import MultilineField, NameField
from teams.models import Organisation, Programme

from . import rules
from .models import (
    SOURCE_LIMIT,
    TEXT_LIMIT,
    VALUE_DIGITS,
    ActionPlan,
    ActionStatus,
    FigureKind,
    Indicator,
    ProgrammeFigure,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# Spaces between thousands (a plain, no-break, narrow no-break or thin space, as Word and
# spreadsheets copy them), a comma or a point before the decimals, an optional minus (the
# rules then refuse it with their own message).
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
_AMOUNT = re.compile(
    r"(?P<sign>[-\u2212]?)(?P<whole>\d+|\d{1,3}(?: \d{3})+)(?:[.,](?P<part>\d+))?", re.ASCII
)


def parse_amount(text: str) -> Decimal | None:
    """A value as Polish officials type it ("43 250 000,75", "43250000.75", "1 200") as the
    exact Decimal; None when it is not one. Thousands are grouped by spaces, never by
    commas or points, so that "1,250" cannot be read as 1250 by one person and 1.25 by
    another: one comma or point is the decimal separator."""
    text = _SPACES.sub(" ", text.strip())
    match = _AMOUNT.fullmatch(text)
    if match is None:
        return None
    sign = "-" if match["sign"] else ""
    whole = match["whole"].replace(" ", "")
    part = f".{match['part']}" if match["part"] else ""
    return Decimal(f"{sign}{whole}{part}")


class AmountField(forms.DecimalField):
    """A figure as people write it (``parse_amount``), stored exactly; the digits and decimal
    places are checked as by any DecimalField."""

    default_error_messages = {
        "invalid": _(
            "Enter a number, for example 43 250 000,75: thousands separated by spaces or not "
            "at all, and a comma or a point before the decimals."
        ),
    }

    # The stubs derive DecimalField from IntegerField and ignore the override there too.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        amount = parse_amount(str(value))
        if amount is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return amount

    def prepare_value(self, value: Any) -> Any:
        """A stored value shown again as typed: a whole number without decimals ("412", not
        "412,00": counts are whole), other values with the language's decimal sign."""
        if isinstance(value, Decimal) and value.is_finite():
            if value == value.to_integral_value():
                value = value.quantize(Decimal(1))
            return formats.number_format(value, use_l10n=True)
        return super().prepare_value(value)


def value_field(label: StrOrPromise, *, required: bool = False) -> forms.DecimalField:
    return AmountField(
        label=label,
        required=required,
        max_digits=VALUE_DIGITS,
        decimal_places=2,
        localize=True,
    )


class PlanForm(forms.Form):
    responsible_unit = NameField(label=_("Responsible city unit"), max_length=300, required=False)
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=Organisation.objects.filter(verified_at__isnull=False).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class IndicatorForm(forms.Form):
    name = NameField(label=_("Indicator"), max_length=300)
    unit = NameField(
        label=_("Unit"), max_length=50, help_text=_("For example: persons, events, PLN.")
    )

    def __init__(
        self, *args: Any, programme: Programme, indicator: Indicator | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        #: The indicator corrected (None when one is added): its name and unit may be frozen.
        self.indicator = indicator
        self.years = list(range(programme.period_start, programme.period_end + 1))
        for year in self.years:
            self.fields[f"planned_{year}"] = value_field(
                _("Planned value in %(year)s") % {"year": year}
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for year in self.years:
            name = f"planned_{year}"
            try:
                rules.check_value(data.get(name))
            except Refused as refusal:
                self.add_error(name, str(refusal))
        if self.indicator is not None:
            try:
                rules.check_indicator_identity(
                    self.indicator,
                    name=data.get("name") or self.indicator.name,
                    unit=data.get("unit") or self.indicator.unit,
                )
            except rules.IndicatorFrozen as refusal:
                for field in refusal.fields:
                    self.add_error(field, str(refusal))
        return data

    def planned(self) -> dict[int, Decimal | None]:
        return {year: self.cleaned_data.get(f"planned_{year}") for year in self.years}


class ChooseSelect(forms.Select):
    """A select whose first, empty option is nobody's choice: it is shown first but not
    marked selected, so that a form opened empty does not claim an answer."""

    # The stubs type Widget.format_value, not ChoiceWidget's list of values.
    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        return [item for item in super().format_value(value) if item != ""]


def choice_field(
    label: StrOrPromise, choices: Sequence[tuple[str, StrOrPromise]], *, required: StrOrPromise
) -> forms.ChoiceField:
    """A required choice that starts empty ("– choose –"): whoever does not choose is told
    ``required`` beside the field, nothing is assumed for them."""
    return forms.ChoiceField(
        label=label,
        choices=[("", _("– choose –")), *choices],
        widget=ChooseSelect,
        error_messages={"required": required},
    )


class YearForm(forms.Form):
    """A year's status and comment, and for each indicator the achieved value and source."""

    status = choice_field(
        _("Status"),
        ActionStatus.choices,
        required=_("Choose the action's status in this year."),
    )
    comment = MultilineField(
        label=_("Comment"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, plan: ActionPlan | None, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators: list[Indicator] = list(plan.indicators.all()) if plan else []
        for indicator in self.indicators:
            self.fields[f"achieved_{indicator.pk}"] = value_field(
                _("%(indicator)s: achieved in %(year)s (%(unit)s)")
                % {"indicator": indicator.name, "year": year, "unit": indicator.unit}
            )
            self.fields[f"source_{indicator.pk}"] = forms.CharField(
                label=_("%(indicator)s: source of the value") % {"indicator": indicator.name},
                required=False,
                max_length=SOURCE_LIMIT,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for indicator in self.indicators:
            value = data.get(f"achieved_{indicator.pk}")
            source = data.get(f"source_{indicator.pk}", "")
            try:
                rules.check_value(value)
            except Refused as refusal:
                self.add_error(f"achieved_{indicator.pk}", str(refusal))
                continue
            try:
                rules.check_achieved(value, source)
            except Refused as refusal:
                self.add_error(f"source_{indicator.pk}", str(refusal))
        return data

    def achieved(self) -> dict[int, tuple[Decimal | None, str]]:
        return {
            indicator.pk: (
                self.cleaned_data.get(f"achieved_{indicator.pk}"),
                self.cleaned_data.get(f"source_{indicator.pk}", ""),
            )
            for indicator in self.indicators
        }


class ProposalForm(YearForm):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.order_fields(["organisation"])


class DecisionForm(forms.Form):
    decision = choice_field(
        _("Decision"),
        [("accept", _("Accept")), ("reject", _("Reject"))],
        required=_("Choose whether to accept or reject the proposal."),
    )
    reason = MultilineField(
        label=_("Reason"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you reject the proposal."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("decision"):
            return data  # no decision yet: the reason is asked of a rejection only
        accept = data["decision"] == "accept"
        try:
            rules.check_decision(accept=accept, reason=data.get("reason", ""))
        except Refused as refusal:
            self.add_error("reason", str(refusal))
        return data


class PublishReasonForm(forms.Form):
    """Why a report without any evaluation figures is published anyway (the service decides
    when it is needed: ``services.ReportReasonRequired``)."""

    reason = MultilineField(
        label=_("Why publish the report without evaluation figures?"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("The reason is printed in the report where the figures would be."),
    )


class FiguresForm(forms.Form):
    """A year's evaluation figures: a value and its source for each figure Kraków's
    programmes name, for each figure of the programme's own entered before, and one more."""

    def __init__(self, *args: Any, others: list[ProgrammeFigure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: (field key, kind, fixed name or None when the name is a field)
        self.slots: list[tuple[str, str, str | None]] = [
            (str(kind), str(kind), "") for kind in FigureKind if kind != FigureKind.OTHER
        ]
        self.slots += [(f"other_{figure.pk}", FigureKind.OTHER, figure.name) for figure in others]
        self.slots.append(("other", FigureKind.OTHER, None))
        labels = dict(FigureKind.choices)
        for key, kind, name in self.slots:
            if name is None:
                self.fields["other_name"] = NameField(
                    label=_("Another figure named by the programme: its name"),
                    max_length=300,
                    required=False,
                )
            label = name or labels[kind]
            self.fields[f"value_{key}"] = value_field(label)
            self.fields[f"source_{key}"] = forms.CharField(
                label=_("%(figure)s: source") % {"figure": label},
                required=False,
                max_length=SOURCE_LIMIT,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key, kind, name in self.slots:
            try:
                rules.check_figure(
                    kind=kind,
                    name=(data.get("other_name") or "") if name is None else name,
                    value=data.get(f"value_{key}"),
                    source=data.get(f"source_{key}", ""),
                )
            except Refused as refusal:
                self.add_error(f"value_{key}", str(refusal))
        return data

    def entries(self) -> list[tuple[str, str, Decimal | None, str]]:
        data = self.cleaned_data
        return [
            (
                kind,
                (data.get("other_name") or "") if name is None else name,
                data.get(f"value_{key}"),
                data.get(f"source_{key}", ""),
            )
            for key, kind, name in self.slots
            if not (name is None and not data.get("other_name"))
        ]
