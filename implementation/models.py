"""Following the adopted programme (art. 5a ust. 3–4 pkt 9): each followed action's responsible
unit, partners, indicators with planned and achieved values per year, its yearly status;
organisations' proposed updates; the programme's own evaluation figures; and which years'
implementation reports are published (after which that year's figures are frozen)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from actions.models import Action
from teams.models import Organisation, Programme

TEXT_LIMIT = 2000
SOURCE_LIMIT = 300
VALUE_DIGITS = 14


def value_field(label: str | object, **options: object) -> models.DecimalField:
    return models.DecimalField(
        label,  # type: ignore[arg-type]
        max_digits=VALUE_DIGITS,
        decimal_places=2,
        null=True,
        blank=True,
        **options,  # type: ignore[arg-type]
    )


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("completed")
    ABANDONED = "abandoned", _("abandoned")


class ActionPlan(models.Model):
    """How an action of the adopted programme is carried out: made the first time anyone
    records something about it (nothing is invented for the others)."""

    action = models.OneToOneField(Action, on_delete=models.PROTECT, related_name="plan")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="action_plans")
    responsible_unit = models.CharField(_("responsible city unit"), max_length=300, blank=True)
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("partner organisations")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action followed")
        verbose_name_plural = _("actions followed")

    def __str__(self) -> str:
        return str(self.action)


#: Units of indicators measured in money: their values are amounts (PLN), always with two
#: decimals on pages, in documents and in spreadsheets ("0,00", not "0", beside "1 234,50").
MONEY_UNITS = frozenset({"zł", "zl", "pln", "złotych"})


def is_money_unit(unit: str) -> bool:
    """Whether an indicator's ``unit`` is money (``MONEY_UNITS``: "zł", "PLN", "zł."…)."""
    return unit.strip().rstrip(".").lower() in MONEY_UNITS


class Indicator(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="indicator_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    @property
    def is_money(self) -> bool:
        return is_money_unit(self.unit)


class IndicatorValue(models.Model):
    """An indicator's planned and achieved value in one year of the programme; an achieved
    value always names its source."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    planned = value_field(_("planned value"))
    achieved = value_field(_("achieved value"))
    source = models.CharField(_("source"), max_length=SOURCE_LIMIT, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_value_year"),
            models.CheckConstraint(
                condition=models.Q(planned__gte=0) | models.Q(planned__isnull=True),
                name="indicator_planned_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(achieved__isnull=True)
                | (models.Q(achieved__gte=0) & ~models.Q(source="")),
                name="indicator_achieved_with_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"


class ActionYear(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=TEXT_LIMIT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("status of an action in a year")
        verbose_name_plural = _("statuses of actions by year")
        ordering = ["plan", "year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="action_year_unique")]

    def __str__(self) -> str:
        return f"{self.plan} {self.year}: {self.get_status_display()}"


class Proposal(models.Model):
    """An organisation's proposed update of an action's year: applied only when the
    coordinating team accepts it; a rejection says why."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        # "Propozycja": feminine in Polish, unlike the requests the plain words label.
        ACCEPTED = "accepted", pgettext_lazy("a proposal", "accepted")
        REJECTED = "rejected", pgettext_lazy("a proposal", "rejected")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="proposals")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=TEXT_LIMIT)
    #: The achieved values proposed: [{"indicator": pk, "achieved": "12.00", "source": "…"}].
    values = models.JSONField(default=list, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("decision"), max_length=16, choices=State.choices, default=State.PENDING
    )
    reason = models.TextField(_("reason"), blank=True, max_length=TEXT_LIMIT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proposed update")
        verbose_name_plural = _("proposed updates")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan} {self.year} ({self.organisation})"


class FigureKind(models.TextChoices):
    """The evaluation figures Kraków's programmes name (art. 5a ust. 4 pkt 9); OTHER carries
    the programme's own name for a figure."""

    ORGANISATIONS = "organisations", _("organisations cooperating with the city")
    COMPETITIONS = "competitions", _("open competitions announced")
    OFFERS = "offers", _("offers received")
    CONTRACTS = "contracts", _("contracts signed")
    FUNDS_PLANNED = "funds_planned", _("funds planned (PLN)")
    FUNDS_SPENT = "funds_spent", _("funds spent (PLN)")
    NON_FINANCIAL = "non_financial", _("non-financial forms of cooperation")
    OTHER = "other", _("another figure named by the programme")


#: Figures that are counts: whole numbers.
COUNT_KINDS = frozenset(
    {
        FigureKind.ORGANISATIONS,
        FigureKind.COMPETITIONS,
        FigureKind.OFFERS,
        FigureKind.CONTRACTS,
        FigureKind.NON_FINANCIAL,
    }
)

#: Figures that are amounts of money (PLN): two decimals in spreadsheets.
AMOUNT_KINDS = frozenset({FigureKind.FUNDS_PLANNED, FigureKind.FUNDS_SPENT})

#: Figures that are planned, not achieved, values: a spreadsheet puts them in its "Planned"
#: column (documents.implementation_report), every other figure in "Achieved".
PLANNED_KINDS = frozenset({FigureKind.FUNDS_PLANNED})


class ProgrammeFigure(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="figures")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("figure"), max_length=16, choices=FigureKind.choices)
    name = models.CharField(_("name"), max_length=300, blank=True)
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=2)
    source = models.CharField(_("source"), max_length=SOURCE_LIMIT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation figure")
        verbose_name_plural = _("evaluation figures")
        ordering = ["programme", "year", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "kind", "name"], name="programme_figure_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0) & ~models.Q(source=""),
                name="programme_figure_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.year}"

    @property
    def label(self) -> str:
        return self.name or str(self.get_kind_display())


class ReportPublication(models.Model):
    """The implementation report of one year, published: the year's figures are frozen from
    then on (documents freezes the report itself; a correction is a dated erratum)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Why a report without any evaluation figures was published anyway (required then,
    #: ``services.report_publish``); the report prints it where the figures would be.
    no_figures_reason = models.TextField(_("reason for publishing without figures"), blank=True)

    class Meta:
        verbose_name = _("published implementation report")
        verbose_name_plural = _("published implementation reports")
        ordering = ["programme", "year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="report_published_once")
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"

    @property
    def object_id(self) -> str:
        return f"{self.programme_id}:{self.year}"
