"""The synthesis's audit entries name their round in their data, as every other entry of a
round does, so that the round's log finds them by that one key (views.round_audit): before 6
December 2026 they named it only as their target. Only the key is added; nothing else of an
entry changes."""

from django.db import migrations


def name_the_round(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    round_type = ContentType.objects.filter(app_label="consultations", model="round").first()
    if round_type is None:  # a fresh database: no entry yet
        return
    entries = AuditEntry.objects.filter(action="round.synthesis", target_type=round_type)
    for entry in entries.exclude(data__has_key="round"):
        entry.data = {**(entry.data or {}), "round": int(entry.target_id)}
        entry.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0024_round_early_close"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(name_the_round, migrations.RunPython.noop)]
