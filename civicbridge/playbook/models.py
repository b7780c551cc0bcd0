from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .document import Playbook

# Each version's document, read once per process: a version never changes, and its
# content hash names it. A process holds as many as there are versions it was asked for.
_documents: dict[str, Playbook] = {}


class PlaybookVersionQuerySet(models.QuerySet["PlaybookVersion"]):
    def current(self) -> "PlaybookVersion | None":
        return self.order_by("-number").first()

    def current_playbook(self) -> Playbook | None:
        """The current version's document, reading the whole of it only the first time."""
        content_hash = self.order_by("-number").values_list("content_hash", flat=True).first()
        if content_hash is None:
            return None
        if content_hash not in _documents:
            content = self.filter(content_hash=content_hash).values_list("content", flat=True)[0]
            _documents[content_hash] = Playbook(content)
        return _documents[content_hash]

    def current_number(self) -> int | None:
        return self.order_by("-number").values_list("number", flat=True).first()


class PlaybookVersion(models.Model):
    """One version of the playbook: the whole document as it stood, with who made it."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)

    objects = PlaybookVersionQuerySet.as_manager()
    # The version itself keeps the whole document; the audit log notes that it was made.
    audit_exclude = ("content",)

    class Meta:
        ordering = ["-number"]
        permissions = [("edit_playbook", _("Can edit the playbook"))]

    def __str__(self) -> str:
        return _("Playbook version %(number)d") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("playbook:version", args=[self.number])

    @property
    def playbook(self) -> Playbook:
        return Playbook(self.content)
