from django.http import StreamingHttpResponse
from django.views import View
from django_filters.views import FilterView

from jobsite.csv_exports import csv_chunks, invalid_filters_response, text_cell
from jobsite.views import ForgivingPaginationMixin
from roles.models import citation

from .cells import salary_cells
from .filters import SalaryBandFilterSet, role_title_suggestions
from .formatting import STALE_LABEL, experience_range, per_month_note, plain_years
from .forms import ROLE_TITLES_LIST_ID
from .models import BAND_STATISTICS, PayPeriod, SalaryBand, SalaryFigure, is_stale

CSV_HEADER = [
    "role",
    "experience",
    "experience from",
    "experience to",
    "minimum",
    "maximum",
    "25th percentile",
    "median",
    "75th percentile",
    "sample size",
    "currency",
    "period",
    "location",
    "source",
    "year",
    f"{STALE_LABEL}?",
    "matches experience?",
]
# What each CSV row is made of, in CSV_HEADER's order (the last column is the annotation
# ``matches_experience``, when an experience is given).
CSV_FIELDS = (
    "role__title",
    "experience_min_years",
    "experience_max_years",
    "minimum",
    "maximum",
    "percentile_25",
    "median",
    "percentile_75",
    "sample_size",
    "currency",
    "period",
    "location__name",
    "source__publisher",
    "source__year",
    "source__cited_in__publisher",
    "source__cited_in__year",
    "year",
)
# Bands read from the database, and rows sent, at a time: the whole export (80,000 rows at
# 10,000 roles) is never held in memory.
CSV_CHUNK_SIZE = 2000


class SalaryExplorerView(ForgivingPaginationMixin, FilterView):
    """Salary bands by role, experience and place, with the visitor's band marked."""

    filterset_class = SalaryBandFilterSet
    queryset = SalaryBand.objects.for_explorer()
    template_name = "salaries/salaryband_list.html"
    context_object_name = "bands"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = _chosen(self.filterset)
        bands = list(context["bands"])
        # A cell whose bands straddle two pages shows on each the sources that page holds.
        cells = salary_cells(bands, period=chosen["pay"])
        context.update(
            chosen,
            role_titles=role_title_suggestions(),
            role_titles_list_id=ROLE_TITLES_LIST_ID,
            similar_roles=self.filterset.similar_roles(),
            bands=bands,
            cells=cells,
            matching_cells=[cell for cell in cells if cell.matches_experience],
            per_month_note=per_month_note() if chosen["pay"] == PayPeriod.MONTH else "",
            figures=(
                SalaryFigure.objects.for_role(chosen["role"], chosen["location"])
                if chosen["role"]
                else []
            ),
        )
        return context


class SalaryExportView(View):
    """The explorer's rows as CSV, from the same filters, so the two cannot drift apart.

    Streamed as it is read, a few thousand rows at a time: the unfiltered export is every
    band in the catalogue."""

    def get(self, request):
        filterset = SalaryBandFilterSet(
            request.GET or None, queryset=SalaryBand.objects.for_explorer(), request=request
        )
        if filterset.is_bound and not filterset.is_valid():
            return invalid_filters_response(filterset)
        response = StreamingHttpResponse(
            _csv_chunks(filterset.qs, marked=_chosen(filterset)["experience"] is not None),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{_filename(filterset)}"'
        return response


def _chosen(filterset) -> dict:
    """The valid choices behind the page, for its headings, sentence and links."""
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    return {
        "role": data.get("role"),
        "experience": data.get("experience"),
        "location": data.get("location"),
        "pay": data.get("pay") or PayPeriod.YEAR,
    }


def _filename(filterset) -> str:
    chosen = _chosen(filterset)
    # Slugs are safe in a header: letters, digits, hyphens and underscores only.
    parts = ["salaries"] + [chosen[name].slug for name in ("role", "location") if chosen[name]]
    return "-".join(parts) + ".csv"


def _csv_chunks(bands, *, marked: bool):
    """The CSV text of ``bands``, header first, in chunks of CSV_CHUNK_SIZE rows.

    Plain values rather than model instances: four objects a row (band, role, place, source)
    would cost more than the rest of the export together. ``marked``: the bands carry
    ``matches_experience``."""
    fields = [*CSV_FIELDS, "matches_experience"] if marked else CSV_FIELDS
    rows = bands.values_list(*fields).iterator(chunk_size=CSV_CHUNK_SIZE)
    return csv_chunks(CSV_HEADER, map(_csv_row, rows), chunk_size=CSV_CHUNK_SIZE)


def _csv_row(values: tuple) -> list:
    """One band as CSV cells, from the values of CSV_FIELDS (and ``matches_experience``)."""
    band = dict(zip([*CSV_FIELDS, "matches_experience"], values, strict=False))
    matches = band.get("matches_experience")
    source = citation(
        band["source__publisher"],
        band["source__year"],
        cited_by=band["source__cited_in__publisher"] or "",
        cited_by_year=band["source__cited_in__year"],
    )

    def number(name):
        return "" if band[name] is None else band[name]

    return [
        text_cell(band["role__title"]),
        experience_range(band["experience_min_years"], band["experience_max_years"]),
        plain_years(band["experience_min_years"]),
        plain_years(band["experience_max_years"]),
        *(number(name) for name in ("minimum", "maximum", *BAND_STATISTICS, "sample_size")),
        text_cell(band["currency"]),
        text_cell(band["period"]),
        text_cell(band["location__name"] or ""),
        text_cell(source),
        band["year"],
        "yes" if is_stale(band["year"]) else "no",
        "" if matches is None else ("yes" if matches else "no"),
    ]
