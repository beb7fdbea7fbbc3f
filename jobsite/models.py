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
