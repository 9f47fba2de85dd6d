"""Registration numbers for the comments saved before the register (consultations.numbering):
per year of the round's opening (Europe/Warsaw), in the order they were sent; the counters
continue from there. Comments on a paragraph keep the consulted version and its wording."""

from zoneinfo import ZoneInfo

from django.db import migrations

WARSAW = ZoneInfo("Europe/Warsaw")


def number(apps, schema_editor):
    Comment = apps.get_model("consultations", "Comment")
    Counter = apps.get_model("consultations", "RegistrationCounter")
    last: dict[int, int] = {c.year: c.last for c in Counter.objects.all()}
    comments = (
        Comment.objects.filter(parent=None, registration_number=None)
        .select_related("round", "round__draft_version")
        .order_by("created_at", "pk")
    )
    for comment in comments.iterator():
        year = comment.round.opens_at.astimezone(WARSAW).year
        last[year] = last.get(year, 0) + 1
        comment.registration_number = f"KZ/{year}/{last[year]:04d}"
        fields = ["registration_number"]
        version = comment.round.draft_version
        if comment.paragraph_uid is not None and version is not None:
            comment.paragraph_version = version
            for section in version.snapshot.get("sections", []):
                for paragraph in section.get("paragraphs", []):
                    if str(paragraph["uid"]) == str(comment.paragraph_uid):
                        comment.paragraph_wording = paragraph.get("text", "")
            fields += ["paragraph_version", "paragraph_wording"]
        comment.save(update_fields=fields)
    for year, value in last.items():
        Counter.objects.update_or_create(year=year, defaults={"last": value})


class Migration(migrations.Migration):
    dependencies = [("consultations", "0012_comment_register")]

    operations = [migrations.RunPython(number, migrations.RunPython.noop)]
