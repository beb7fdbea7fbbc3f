from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class CatalogueFilterBackend(DjangoFilterBackend):
    """django-filter's backend, refusing invalid filters with the form's own messages.

    django-filter's DRF backend formats each message again (``message % params``), which
    fails on a message quoting what was typed when that holds a "%" (``?skill=50%``): the
    form's errors are already the text the page shows, so they are used as they are."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError(
                {name: list(messages) for name, messages in filterset.form.errors.items()}
            )
        return filterset.qs
