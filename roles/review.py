"""The review workflow: draft → in review → published (or archived), with a second pair of
eyes between an editor's work and the public.

Who may do what:
- anyone who may change roles (the Editors group) edits them and submits a draft for review;
- only those with ``roles.publish_role`` (the Reviewers group, superusers) publish, archive,
  send a role in review back to draft (with a comment for the editor), or take a published
  or archived role back to draft.

Every status change made in admin goes through ``step_for``, which refuses what the user
may not do, and is recorded by ``record_step`` as a ReviewEvent: who asked and who approved.
The importers and the catalogue loader set statuses directly: they are not editors."""

from django.core.exceptions import PermissionDenied, ValidationError

from .models import ReviewEvent, Role

PUBLISH_PERMISSION = "roles.publish_role"

Status = Role.Status
Action = ReviewEvent.Action


def may_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def step_for(*, user, before: str, after: str, comment: str = "") -> str | None:
    """The ReviewEvent action of moving a role from status ``before`` to ``after`` (None
    when the status stays), or PermissionDenied saying why ``user`` may not, or
    ValidationError when the step needs a comment it was not given."""
    if before == after:
        return None
    if before == Status.DRAFT and after == Status.IN_REVIEW:
        return Action.SUBMITTED
    if not may_publish(user):
        if after == Status.IN_REVIEW:
            raise PermissionDenied(
                "Only a draft can be submitted for review; taking a published or archived "
                "role off the site is a reviewer’s decision."
            )
        raise PermissionDenied(
            f"You may submit this role for review, but not make it "
            f"“{Status(after).label}” from “{Status(before).label}”: that is a reviewer’s "
            "decision (the Reviewers group)."
        )
    if after == Status.PUBLISHED:
        return Action.PUBLISHED
    if after == Status.ARCHIVED:
        return Action.ARCHIVED
    if before == Status.IN_REVIEW and after == Status.DRAFT:
        if not comment.strip():
            raise ValidationError(
                "Say why you send this role back: the editor reads your comment on its page.",
                code="comment_needed",
            )
        return Action.SENT_BACK
    if after == Status.IN_REVIEW:
        return Action.SUBMITTED
    return Action.UNPUBLISHED


def record_step(*, role: Role, action: str, by, comment: str = "") -> ReviewEvent:
    """Keep a step of ``role``'s review, once its new status is saved."""
    event = ReviewEvent(role=role, action=action, by=by, comment=comment.strip())
    event.full_clean()
    event.save()
    return event


def move(*, role: Role, to: str, by, comment: str = "") -> ReviewEvent | None:
    """Move ``role`` to status ``to`` as ``by`` (admin's list actions): check, save, record.
    Raises as ``step_for`` does; returns the step recorded, or None if the status stays."""
    action = step_for(user=by, before=role.status, after=to, comment=comment)
    if action is None:
        return None
    role.status = to
    role.save(update_fields=["status", "updated_at"])
    return record_step(role=role, action=action, by=by, comment=comment)
