"""Sent after the commit that publishes a year's implementation report; documents freezes
the report (documents/warming.py)."""

from django.dispatch import Signal

#: ``programme_id``, ``year``, ``actor_id``
implementation_report_published = Signal()
