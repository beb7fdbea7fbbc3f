from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.db.models import Q
from django.db.models.functions import Lower

from .models import Skill, SkillGroup

MAX_SKILLS = 10


class SkillsField(forms.Field):
    """Several skills, each given by slug (``?skill=python``, as links write it) or by name
    as a person types it ("Python"). Stays small at any catalogue size: no list of every
    skill is rendered or loaded, only the skills asked for are looked up."""

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
        skills = list(
            Skill.objects.annotate(lower_name=Lower("name")).filter(
                Q(slug__in=wanted) | Q(lower_name__in=[item.lower() for item in wanted])
            )
        )
        found, unknown = [], []
        for item in wanted:
            skill = next(
                (s for s in skills if item == s.slug or item.lower() == s.lower_name), None
            )
            if skill is None:
                unknown.append(item)
            elif skill not in found:
                found.append(skill)
        if unknown:
            names = ", ".join(f"“{item}”" for item in unknown)
            raise ValidationError(
                f"We know no skill called {names}. Check the spelling, or browse all skills."
            )
        return found


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
