from django.core.validators import ProhibitNullCharactersValidator
from django.db import models


class ImportRunQuerySet(models.QuerySet):
    def first_of_each_version(self):
        """The run that brought each ESCO version in: the one that rewrote every record
        that version holds (its ESCO version, at least). Repeats of a version change nothing
        or little, and the record of a run does not say which records."""
        earlier = ImportRun.objects.filter(
            esco_version=models.OuterRef("esco_version"),
            started_at__lt=models.OuterRef("started_at"),
        )
        return self.exclude(models.Exists(earlier))


class ImportRun(models.Model):
    """One completed import of the ESCO classification: from which files, what it changed,
    and what it left alone because editors had changed it. A failed import writes nothing,
    this record included."""

    esco_version = models.CharField("ESCO version", max_length=20)
    source = models.CharField(max_length=500, help_text="The folder the files were read from.")
    checksums = models.JSONField(default=dict, help_text="SHA-256 of each file read.")
    counts = models.JSONField(
        default=dict,
        help_text="Per kind of record: created, updated, unchanged, retired, left alone.",
    )
    left_alone = models.JSONField(
        default=list, help_text="Editors' changes the import kept (at most the first 200)."
    )
    new_role_status = models.CharField(max_length=10)
    run_by = models.CharField(max_length=150, help_text="The system user who ran it.")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(finished_at__gte=models.F("started_at")),
                name="importrun_finishes_after_start",
            ),
        ]

    def __str__(self):
        return f"ESCO {self.esco_version} import, {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        return self.finished_at - self.started_at

    @property
    def changed_anything(self) -> bool:
        return any(
            counts.get(outcome)
            for counts in self.counts.values()
            for outcome in ("created", "updated", "retired", "removed")
        )


class PublicChangeNote(models.Model):
    """What an editor tells readers of a change, kept with its revision in the history
    (``reversion.add_meta``) and shown in the role's public change log: a summary, and the
    name they chose to sign it with. No signature, no name: the log never shows who saved."""

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, related_name="public_change_note"
    )
    summary = models.CharField(
        "summary for readers",
        max_length=300,
        blank=True,
        validators=[ProhibitNullCharactersValidator()],
    )
    signed_as = models.CharField(
        max_length=100, blank=True, validators=[ProhibitNullCharactersValidator()]
    )

    class Meta:
        ordering = ["-revision"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(summary="", signed_as=""),
                name="publicchangenote_says_something",
            ),
        ]

    def __str__(self):
        return self.summary or f"Signed {self.signed_as}"
