"""On PostgreSQL, a hash index on a comment's text, for the repeated-comment check of every
post (services.refuse_if_repeated: the same author's same text on the same item).

That check runs as a prepared statement, planned once for any author. Where one author wrote
most of a round's comments (10,000 loaded by one account, as in benchmarks/round_page.py, or
letters registered by one person), PostgreSQL's statistics make any author look as common as
that one, and the plan it kept scanned every comment without an organisation instead: 1 ms
of the database's time per post by 3,000 such comments, growing with each. A comment's text is
nearly unique, so with this index the plan reads the few comments with the same text, however
the authors are spread (docs/architecture.md, "Posting"). A hash index, not a B-tree: it takes
a text of any length (a B-tree entry may not exceed about 2.7 kB) and is small (a 4-byte hash
per comment).

PostgreSQL only, and so not declared in Comment.Meta.indexes, which would make every database
create it: SQLite has no hash indexes, and its planner is not led astray by prepared plans.
Built CONCURRENTLY, outside a transaction (``atomic = False``): comments can still be posted
while it builds. If such a build fails, PostgreSQL leaves an invalid index behind; drop it
(``DROP INDEX comment_text_hash``) and migrate again. (`sqlmigrate` cannot print this step:
it is Python.)
"""

from django.db import migrations

INDEX = "comment_text_hash"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("consultations", "Comment")._meta.db_table)
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON {table} USING hash (text)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("consultations", "0025_synthesis_audit_round")]

    operations = [migrations.RunPython(create, drop)]
