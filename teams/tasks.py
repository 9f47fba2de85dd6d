"""The teams app's periodic task, for Celery's autodiscovery (run by beat: settings)."""

from celery import shared_task

from .services import purge_unconfirmed_signups


@shared_task(name="teams.tasks.purge_unconfirmed_signups")
def purge_unconfirmed_signups_task() -> int:
    """Erase the sign-ups never confirmed (teams.services.purge_unconfirmed_signups)."""
    return purge_unconfirmed_signups()
