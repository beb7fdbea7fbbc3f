from django import forms

from salaries.forms import YearsOfExperienceField


class ExperienceForm(forms.Form):
    """Years of experience, to mark the matching salary band on a role page."""

    experience = YearsOfExperienceField(label="Your years of experience", required=False)
