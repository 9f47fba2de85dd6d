"""What teams tells the apps above it (which it may not import): a programme's cycle begins
(drafts creates its working copy) and a meeting's results are published (documents freezes
the annex)."""

from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _


class WorkingCopyStart(models.TextChoices):
    """Where a new programme's draft working copy starts from."""

    TEMPLATE = "template", _("the statutory template (the chapters of art. 5a ust. 4)")
    PREVIOUS = "previous", _("the text of the previous programme's adopted version")


#: Sent inside ``programme_create``'s transaction with ``programme``, ``previous`` (the
#: programme it replaces as current, or None), ``working_copy`` (a WorkingCopyStart) and
#: ``actor``. The drafts app creates the working copy (drafts.receivers); a receiver that
#: raises ``Refused`` refuses the whole programme, and nothing is stored.
programme_created = Signal()

#: Sent inside ``programme_update_title``'s transaction with ``programme`` (its new title set)
#: and ``actor``. The drafts app gives the working copy the same title, so the next published
#: version carries it; published versions keep the title they were published with.
programme_title_changed = Signal()

#: A meeting's results were published (committed). Sent with ``meeting_id`` and ``actor_id``.
meeting_results_published = Signal()
