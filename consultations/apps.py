from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        # Connects the receivers and declares the notification kinds (notifications.registry);
        # a module-level import here would load models before the app registry is ready.
        from drafts import answers as draft_answers
        from teams import personal_data

        from . import notices, signals  # noqa: F401
        from .answers import CommentSource
        from .personal_data import consultation_data

        draft_answers.register(CommentSource())
        # What a refused send shows back is named by these forms' labels (core.kept_text).
        from core import kept_text

        from .forms import CommentEditForm, CommentForm, ReplyForm

        kept_text.register_form(CommentForm, "comment")
        kept_text.register_form(ReplyForm, "reply")
        kept_text.register_form(CommentEditForm)
        personal_data.register(consultation_data)
