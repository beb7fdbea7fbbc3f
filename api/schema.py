from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from roles.filters import IscoGroupFilter
from salaries.filters import ExperienceFilter
from skills.filters import SkillGroupFilter, SkillsFilter

from .problems import PROBLEM_CONTENT_TYPE
from .serializers import ProblemSerializer

# The types of the pages' own filter classes, which drf-spectacular cannot guess from their
# form fields; said here, so that the content apps know nothing of the API's schema. The
# views' parameters (api.views) add each one's constraints and description.
extend_schema_field(OpenApiTypes.STR)(IscoGroupFilter)
extend_schema_field(OpenApiTypes.STR)(SkillGroupFilter)
extend_schema_field(OpenApiTypes.NUMBER)(ExperienceFilter)
extend_schema_field({"type": "array", "items": {"type": "string"}})(SkillsFilter)

# What any API operation may answer besides its data, as problem details (api.problems):
# bad query parameters, nothing there (or no such page), and too many requests.
ERROR_STATUSES = ("400", "404", "429")


class CatalogueAutoSchema(AutoSchema):
    """drf-spectacular's schema, with every operation's error responses documented, so that
    a client (or Schemathesis) knows what each status code carries."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in ERROR_STATUSES:
            responses.setdefault(
                status,
                self._get_response_for_code(
                    ProblemSerializer, status, [PROBLEM_CONTENT_TYPE], direction
                ),
            )
        # Answered by gunicorn, before Django, for a request line past its limit (4094 bytes):
        # a plain HTML page, said here so that clients know what to expect.
        responses.setdefault(
            "414",
            self._get_response_for_code(OpenApiTypes.STR, "414", ["text/html"], direction),
        )
        return responses
