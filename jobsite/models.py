from django.db import models
from django.utils import timezone


class TimestampedModel(models.Model):
    """Adds when a row was created and last changed; editors see both in admin."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OrderedModel(models.Model):
    """A row in an editor-ordered list: lower positions come first."""

    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class CatalogueRevision(models.Model):
    """One row counting changes to catalogue content.

    Cached pages and ETags are keyed by ``number``, so a bump makes every process (each
    gunicorn worker with its own local-memory cache, or several servers sharing Redis) serve
    fresh pages on its next request."""

    number = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="single_revision_row")]

    def __str__(self):
        return f"Catalogue revision {self.number} ({self.changed_at:%Y-%m-%d %H:%M})"

    @classmethod
    def ensure_exists(cls, using="default"):
        cls.objects.using(using).get_or_create(pk=1, defaults={"changed_at": timezone.now()})


def lines(text: str) -> list[str]:
    """The non-empty lines of ``text``, stripped: how lists of labels are stored."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class EscoConcept(models.Model):
    """A record that may stand for a concept of the ESCO classification (an occupation, a
    skill, an ISCO-08 group), imported by catalogue.esco.

    ESCO's text belongs to its source and an editor's to the editor: ``esco_imported`` keeps
    the values the last import wrote into the editable fields, so that the next import
    overwrites a field only while it still holds them, and reports the ones it left alone."""

    esco_uri = models.URLField(
        "ESCO concept URI",
        max_length=200,
        blank=True,
        help_text="The ESCO concept this record stands for; ESCO imports update it.",
    )
    esco_version = models.CharField(
        "ESCO version",
        max_length=20,
        blank=True,
        editable=False,
        help_text="The last ESCO version imported that holds this concept.",
    )
    esco_retired_in = models.CharField(
        "retired in ESCO version",
        max_length=20,
        blank=True,
        editable=False,
        help_text="The first imported ESCO version that no longer holds this concept.",
    )
    esco_imported = models.JSONField(default=dict, blank=True, editable=False)
    # Left out of export_catalogue, like demo data: the import makes it again from ESCO's files,
    # and ESCO's text is not ours to keep in the content folder.
    created_by_import = models.BooleanField(default=False, editable=False)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["esco_uri"],
                condition=~models.Q(esco_uri=""),
                name="%(app_label)s_%(class)s_esco_uri_unique",
            ),
        ]

    @property
    def is_from_esco(self) -> bool:
        return bool(self.esco_uri and self.esco_version)
