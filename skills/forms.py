from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.utils.text import get_text_list

from .models import Skill, SkillGroup

MAX_SKILLS = 10
# How many skills a "we know no skill called …" message suggests instead.
SUGGESTED_IN_ERRORS = 5


class SkillsField(forms.Field):
    """Several skills, each given by slug (``?skill=python``, as links write it), by name as
    a person types it ("Python", "python"), or by one of its other names ("node", "AWS",
    "Postgres"). A name several skills go by, or none, is refused with the skills it may
    mean. Stays small at any catalogue size: no list of every skill is rendered or loaded,
    only the skills asked for are looked up."""

    widget = forms.MultipleHiddenInput  # reads every ?skill= value

    def to_python(self, value):
        return list(dict.fromkeys(item.strip() for item in value or [] if item and item.strip()))

    def validate(self, value):
        if len(value) > MAX_SKILLS:
            raise ValidationError(f"Choose at most {MAX_SKILLS} skills.")
        too_long = [item for item in value if len(item) > 100]
        if too_long:
            raise ValidationError("A skill name is at most 100 characters.")
        # PostgreSQL text cannot hold a null byte: refused here, not by the database.
        if any("\x00" in item for item in value):
            raise ValidationError("A skill name cannot contain a null character.")

    def clean(self, value):
        wanted = super().clean(value)
        if not wanted:
            return []
        meant = Skill.objects.called(wanted)
        errors = []
        for item in wanted:
            if not meant[item]:
                errors.append(self._unknown(item))
            elif len(meant[item]) > 1:
                names = get_text_list([f"“{skill.name}”" for skill in meant[item]], "or")
                errors.append(
                    ValidationError(
                        f"“{item}” is another name for several skills: {names}. Type the one "
                        "you mean by its name.",
                        code="ambiguous",
                    )
                )
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(meant[item][0] for item in wanted))

    @staticmethod
    def _unknown(item: str) -> ValidationError:
        """We know no skill by this name: say so, with the skills whose names start with
        the words typed, when there are some."""
        close = [skill.name for skill in Skill.objects.suggested_for(item)[:SUGGESTED_IN_ERRORS]]
        hint = (
            f" Did you mean {get_text_list([f'“{name}”' for name in close], 'or')}?"
            if close
            else " Check the spelling, or browse all skills."
        )
        return ValidationError(f"We know no skill called “{item}”.{hint}", code="unknown")


class SkillGroupField(forms.ModelChoiceField):
    """A skill group by slug (``?group=s1-2-programming``, as the links to a group write
    it), shown as a hidden input: no list of ESCO's 640 groups is rendered, only the one
    asked for is looked up, with the groups above and below it that its heading links to."""

    widget = forms.HiddenInput
    default_error_messages = {
        "invalid_choice": "We know no skill group “%(value)s”. Follow a group’s link from a "
        "skill’s page, or clear the filters."
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(SkillGroup.objects.prefetch_related("broader", "narrower"), **kwargs)

    def to_python(self, value):
        value = value.strip() if isinstance(value, str) else value
        # Not a slug (a null byte, a long string) cannot be a group's: answered without a
        # query, which PostgreSQL would refuse for a null byte.
        if value and (len(value) > 200 or not slug_re.fullmatch(value)):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value.replace("\x00", "")[:50]},
            )
        return super().to_python(value)


class SkillSuggestionForm(forms.Form):
    """What the skill picker's box holds so far (/skills/suggest/?q=…)."""

    q = forms.CharField(max_length=100, required=False, strip=True)
