import csv

from django.http import HttpResponse
from django.views import View
from django_filters.views import FilterView

from jobsite.views import ForgivingPaginationMixin

from .filters import SalaryBandFilter
from .models import SalaryBand, SalaryFigure

CSV_HEADER = [
    "role",
    "experience from",
    "experience to",
    "minimum",
    "maximum",
    "currency",
    "period",
    "location",
    "source",
    "year",
    "matches experience?",
]
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class SalaryExplorerView(ForgivingPaginationMixin, FilterView):
    """Salary bands by role, experience and place, with the visitor's band marked."""

    filterset_class = SalaryBandFilter
    queryset = SalaryBand.objects.for_explorer()
    template_name = "salaries/salaryband_list.html"
    context_object_name = "bands"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = _chosen(self.filterset)
        bands = list(context["bands"])
        context.update(
            chosen,
            bands=bands,
            matching_bands=[band for band in bands if getattr(band, "matches_experience", False)],
            figures=(
                SalaryFigure.objects.for_role(chosen["role"], chosen["location"])
                if chosen["role"]
                else []
            ),
        )
        return context


class SalaryExportView(View):
    """The explorer's rows as CSV, from the same filters, so the two cannot drift apart."""

    def get(self, request):
        filterset = SalaryBandFilter(
            request.GET or None, queryset=SalaryBand.objects.for_explorer(), request=request
        )
        if filterset.is_bound and not filterset.is_valid():
            # A script gets a refusal it can notice, not an empty file that looks like no data.
            messages = [
                f"{filterset.form[name].label}: {error}"
                for name, errors in filterset.form.errors.items()
                for error in errors
            ]
            return HttpResponse(
                "\n".join(["Invalid filters:", *messages]) + "\n",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_filename(filterset)}"'
        writer = csv.writer(response)
        writer.writerow(CSV_HEADER)
        writer.writerows(_csv_row(band) for band in filterset.qs)
        return response


def _chosen(filterset) -> dict:
    """The valid choices behind the page, for its headings, sentence and links."""
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    return {
        "role": data.get("role"),
        "experience": data.get("experience"),
        "location": data.get("location"),
    }


def _filename(filterset) -> str:
    chosen = _chosen(filterset)
    # Slugs are safe in a header: letters, digits, hyphens and underscores only.
    parts = ["salaries"] + [chosen[name].slug for name in ("role", "location") if chosen[name]]
    return "-".join(parts) + ".csv"


def _csv_row(band: SalaryBand) -> list:
    matches = getattr(band, "matches_experience", None)
    return [
        _cell(band.role.title),
        _years(band.experience_min_years),
        _years(band.experience_max_years),
        band.minimum,
        "" if band.maximum is None else band.maximum,
        _cell(band.currency),
        _cell(band.period),
        _cell(band.location.name if band.location else ""),
        _cell(band.source.publisher),
        band.year,
        "" if matches is None else ("yes" if matches else "no"),
    ]


def _years(value) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _cell(text: str) -> str:
    """Text a spreadsheet will show as text, never run as a formula."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text
