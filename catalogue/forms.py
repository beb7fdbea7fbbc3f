from django import forms

from jobsite.text_search import MAX_QUERY_LENGTH, require_words


class SearchForm(forms.Form):
    """The search box. An empty ``q`` is valid: the page then asks for words instead of
    searching."""

    q = forms.CharField(
        label="Search roles and skills",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        validators=[require_words],
        widget=forms.SearchInput(attrs={"placeholder": "e.g. backend, Python, cloud"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
