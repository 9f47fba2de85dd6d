"""For migrations that move models between apps while keeping their tables: the content types
follow the models, so that audit entries, outbox rows and permissions that point at them still
point at them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def content_types_moved(old_label: str, new_label: str, models: Iterable[str]) -> Callable:
    """A RunPython function that renames the content types of ``models`` (lower-case names)
    from app ``old_label`` to ``new_label``, and its reverse."""
    names = list(models)

    def move(apps: Any, schema_editor: Any, source: str, target: str) -> None:
        content_type = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        for name in names:
            old = content_type.objects.using(db).filter(app_label=source, model=name).first()
            if old is None:
                continue  # a fresh database: post_migrate creates the new one
            content_type.objects.using(db).filter(app_label=target, model=name).delete()
            old.app_label = target
            old.save(update_fields=["app_label"])

    def forward(apps: Any, schema_editor: Any) -> None:
        move(apps, schema_editor, old_label, new_label)

    def backward(apps: Any, schema_editor: Any) -> None:
        move(apps, schema_editor, new_label, old_label)

    forward.backward = backward  # type: ignore[attr-defined]
    return forward
