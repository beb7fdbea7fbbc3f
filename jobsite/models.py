from django.db import models


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
