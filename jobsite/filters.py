import django_filters


class FilterSet(django_filters.FilterSet):
    """The project's FilterSet: labels read "Role", not Django's default "Role:"."""

    @property
    def form(self):
        form = super().form
        form.label_suffix = ""
        return form
