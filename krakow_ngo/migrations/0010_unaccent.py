"""The PostgreSQL ``unaccent`` extension, for the site search (krakow_ngo/search.py).

CreateExtension does nothing on other databases (SQLite falls back to a substring search).
Numbered 0010 to leave 0004–0009 to the notifications work.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("krakow_ngo", "0004_outbox")]

    operations = [UnaccentExtension()]
