"""What the API says of each record. Each serializer reads only what its view's queryset
selected or prefetched (catalogue.selectors and the models' querysets): no query per row."""

from django.conf import settings
from django.urls import reverse
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue.esco.attribution import ATTRIBUTION, esco_versions
from catalogue.search import START_MARK, STOP_MARK
from roles.models import Role, RoleFamily, Source
from salaries.models import SalaryBand, SalaryFigure
from skills.models import EscoSkillType, ReuseLevel, RoleSkill, Skill, SkillGroup

ESCO_SITE = "https://esco.ec.europa.eu/"
EDITED_NOTE = "Jobsite's editors may have changed or filtered what is shown here."

# An answer's ESCO attribution, or null when nothing in it came from ESCO.
ATTRIBUTION_SCHEMA = {
    "type": "object",
    "nullable": True,
    "required": ["text", "esco_versions", "url", "note"],
    "properties": {
        "text": {"type": "string", "example": ATTRIBUTION},
        "esco_versions": {"type": "array", "items": {"type": "string"}, "example": ["1.1.1"]},
        "url": {"type": "string", "format": "uri"},
        "note": {"type": "string"},
    },
}


def attribution(*shown) -> dict | None:
    """The attribution ESCO's licence asks for, when any of the records ``shown`` came from
    ESCO (as the pages' esco_attribution tag decides)."""
    versions = esco_versions(*shown)
    if not versions:
        return None
    return {"text": ATTRIBUTION, "esco_versions": versions, "url": ESCO_SITE, "note": EDITED_NOTE}


class AddressesMixin(serializers.Serializer):
    """``url``: the record in the API; ``page_url``: its page on the site. Subclasses name
    the API's route (``api_route``)."""

    api_route = ""
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, record) -> str:
        return self._absolute(reverse(self.api_route, kwargs={"slug": record.slug}))

    def get_page_url(self, record) -> str:
        return self._absolute(record.get_absolute_url())


# Families ------------------------------------------------------------------------------------


class FamilyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoleFamily
        fields = ["slug", "name", "code"]


class FamilySerializer(serializers.ModelSerializer):
    isco_level = serializers.CharField(help_text="For an ISCO-08 group: its level; else empty.")
    broader = serializers.SlugRelatedField(
        source="parent",
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="The broader ISCO-08 group's slug; null for a major group or an editor's family.",
    )
    published_roles = serializers.IntegerField(
        source="own_published_roles", help_text="Published roles filed directly under it."
    )
    roles_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = RoleFamily
        fields = [
            "slug",
            "name",
            "code",
            "isco_level",
            "description",
            "broader",
            "published_roles",
            "esco_uri",
            "roles_url",
            "page_url",
        ]

    def get_roles_url(self, family) -> str:
        path = f"{reverse('api:roles')}?family={family.slug}"
        return self.context["request"].build_absolute_uri(path)

    def get_page_url(self, family) -> str:
        return self.context["request"].build_absolute_uri(family.get_absolute_url())


# Skills --------------------------------------------------------------------------------------


class SkillBriefSerializer(AddressesMixin, serializers.ModelSerializer):
    api_route = "api:skill"

    class Meta:
        model = Skill
        fields = ["slug", "name", "kind", "url"]


class SkillGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = SkillGroup
        fields = ["slug", "name", "code"]


class EscoFieldsMixin(serializers.Serializer):
    """ESCO's own fields of a skill, empty where ESCO says nothing (an editor's skill)."""

    esco_type = serializers.ChoiceField(
        choices=EscoSkillType.choices, allow_blank=True, read_only=True
    )
    reuse_level = serializers.ChoiceField(
        choices=ReuseLevel.choices, allow_blank=True, read_only=True
    )


SKILL_FIELDS = [
    "slug",
    "name",
    "kind",
    "esco_type",
    "reuse_level",
    "alternative_names",
    "description",
    "esco_uri",
    "esco_version",
]


class SkillSerializer(EscoFieldsMixin, AddressesMixin, serializers.ModelSerializer):
    """A skill as the skills list shows it, with the published roles that list it counted."""

    api_route = "api:skill"
    alternative_names = serializers.ListField(source="also_called", child=serializers.CharField())
    role_count = serializers.IntegerField(help_text="Published roles that list it.")
    required_role_count = serializers.IntegerField()
    preferred_role_count = serializers.IntegerField()

    class Meta:
        model = Skill
        fields = [
            *SKILL_FIELDS,
            "role_count",
            "required_role_count",
            "preferred_role_count",
            "url",
            "page_url",
        ]


class RoleBriefSerializer(AddressesMixin, serializers.ModelSerializer):
    api_route = "api:role"

    class Meta:
        model = Role
        fields = ["slug", "title", "url"]


class SkillRoleSerializer(serializers.ModelSerializer):
    """A published role that needs the skill, and how much."""

    role = RoleBriefSerializer()

    class Meta:
        model = RoleSkill
        fields = ["role", "importance"]


class SkillDetailSerializer(EscoFieldsMixin, AddressesMixin, serializers.ModelSerializer):
    """A skill, where ESCO places it, and the published roles that need it."""

    api_route = "api:skill"
    alternative_names = serializers.ListField(source="also_called", child=serializers.CharField())
    groups = SkillGroupSerializer(many=True, help_text="ESCO's skill groups above it.")
    broader_skills = SkillBriefSerializer(many=True)
    narrower_skills = SkillBriefSerializer(
        many=True, source="narrower_skills_shown", help_text="The first ones, by name."
    )
    narrower_skill_count = serializers.IntegerField()
    role_count = serializers.IntegerField(help_text="Published roles that list it.")
    roles = SkillRoleSerializer(
        many=True, source="role_links_shown", help_text="The first ones, required first."
    )
    roles_url = serializers.SerializerMethodField(
        help_text="Every published role that needs it, a page at a time."
    )
    attribution = serializers.SerializerMethodField()

    class Meta:
        model = Skill
        fields = [
            *SKILL_FIELDS,
            "groups",
            "broader_skills",
            "narrower_skills",
            "narrower_skill_count",
            "role_count",
            "roles",
            "roles_url",
            "url",
            "page_url",
            "attribution",
        ]

    def get_roles_url(self, skill) -> str:
        path = f"{reverse('api:roles')}?skill={skill.slug}"
        return self.context["request"].build_absolute_uri(path)

    @extend_schema_field(ATTRIBUTION_SCHEMA)
    def get_attribution(self, skill):
        return attribution(skill, skill.broader_skills.all(), skill.narrower_skills_shown)


# Sources and pay -----------------------------------------------------------------------------


class SourceSerializer(serializers.ModelSerializer):
    citation = serializers.CharField(help_text="How a page names it beside a figure.")

    class Meta:
        model = Source
        fields = ["title", "publisher", "url", "year", "citation"]


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "required": ["slug", "name"],
        "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
    }
)
class LocationField(serializers.Field):
    """A place by slug and name, or null for figures that name none."""

    def to_representation(self, location):
        return {"slug": location.slug, "name": location.name}


class SalaryBandSerializer(serializers.ModelSerializer):
    experience_from_years = serializers.DecimalField(
        source="experience_min_years", max_digits=4, decimal_places=1, coerce_to_string=False
    )
    experience_to_years = serializers.DecimalField(
        source="experience_max_years",
        max_digits=4,
        decimal_places=1,
        coerce_to_string=False,
        allow_null=True,
        help_text="Exclusive; null for an open range (10 years or more).",
    )
    location = LocationField(allow_null=True)
    source = SourceSerializer()
    year = serializers.IntegerField(help_text="The year the figure was reported.")
    is_stale = serializers.BooleanField()

    class Meta:
        model = SalaryBand
        fields = [
            "experience_from_years",
            "experience_to_years",
            "minimum",
            "maximum",
            "percentile_25",
            "median",
            "percentile_75",
            "sample_size",
            "currency",
            "period",
            "location",
            "source",
            "year",
            "is_stale",
        ]


class ExplorerBandSerializer(SalaryBandSerializer):
    """A band in the salary band list, with its role, and whether it holds the experience
    asked for (null when none was)."""

    role = RoleBriefSerializer()
    matches_experience = serializers.SerializerMethodField()

    class Meta(SalaryBandSerializer.Meta):
        fields = ["role", *SalaryBandSerializer.Meta.fields, "matches_experience"]

    def get_matches_experience(self, band) -> bool | None:
        return getattr(band, "matches_experience", None)


class SalaryFigureSerializer(serializers.ModelSerializer):
    location = LocationField(allow_null=True)
    source = SourceSerializer()

    class Meta:
        model = SalaryFigure
        fields = [
            "measure",
            "level",
            "amount",
            "currency",
            "period",
            "location",
            "source",
            "year",
            "note",
        ]


class PaySpanSerializer(serializers.Serializer):
    """The span of a role's yearly bands in the catalogue's currency, as its card shows."""

    minimum = serializers.IntegerField(source="pay_minimum")
    maximum = serializers.IntegerField(source="pay_maximum", allow_null=True)
    open_topped = serializers.BooleanField(
        source="open_topped_bands", help_text="A band has no maximum (25 lakh+)."
    )
    currency = serializers.SerializerMethodField()
    period = serializers.SerializerMethodField()

    def get_currency(self, role) -> str:
        return settings.CATALOGUE_CURRENCY

    def get_period(self, role) -> str:
        return "year"


# Roles ---------------------------------------------------------------------------------------


class RoleSerializer(AddressesMixin, serializers.ModelSerializer):
    """A role as the roles list shows it."""

    api_route = "api:role"
    family = FamilyBriefSerializer()
    pay = serializers.SerializerMethodField(help_text="Null when the role has no yearly bands.")
    top_skills = serializers.SerializerMethodField()

    class Meta:
        model = Role
        fields = [
            "slug",
            "title",
            "summary",
            "family",
            "isco_08",
            "esco_uri",
            "esco_version",
            "pay",
            "top_skills",
            "updated_at",
            "url",
            "page_url",
        ]

    # One serializer each for every role of a list: DRF builds a serializer's fields when
    # it is made, and making two a role was a third of a 50-role page's time.
    @cached_property
    def pay_serializer(self) -> PaySpanSerializer:
        return PaySpanSerializer(context=self.context)

    @cached_property
    def skills_serializer(self) -> serializers.ListSerializer:
        return SkillBriefSerializer(many=True, context=self.context)

    @extend_schema_field(PaySpanSerializer(allow_null=True))
    def get_pay(self, role):
        return None if role.pay_minimum is None else self.pay_serializer.to_representation(role)

    @extend_schema_field(SkillBriefSerializer(many=True))
    def get_top_skills(self, role):
        skills = [role_skill.skill for role_skill in role.top_skills]
        return self.skills_serializer.to_representation(skills)


class RoleSkillSerializer(serializers.ModelSerializer):
    skill = SkillBriefSerializer()
    type = serializers.CharField(
        source="skill.esco_type", help_text="ESCO's skill type; empty where it gives none."
    )

    class Meta:
        model = RoleSkill
        fields = ["skill", "importance", "type", "explanation"]


class QuestionSerializer(serializers.Serializer):
    question = serializers.CharField()
    answer = serializers.CharField()


class RelatedRoleSerializer(serializers.Serializer):
    role = RoleBriefSerializer(source="collaborator")
    note = serializers.CharField(help_text="How the two roles work together.")


class RoleDetailSerializer(RoleSerializer):
    """A published role with everything its page shows."""

    alternative_titles = serializers.ListField(source="also_called", child=serializers.CharField())
    responsibilities = serializers.SlugRelatedField(many=True, read_only=True, slug_field="text")
    skills = serializers.SerializerMethodField()
    faqs = QuestionSerializer(many=True)
    works_with = RelatedRoleSerializer(many=True, source="collaborations")
    broader = serializers.SerializerMethodField()
    narrower = RoleBriefSerializer(many=True, source="published_narrower")
    salary_bands = SalaryBandSerializer(many=True)
    salary_figures = SalaryFigureSerializer(many=True)
    sources = SourceSerializer(many=True)
    attribution = serializers.SerializerMethodField()

    class Meta(RoleSerializer.Meta):
        fields = [
            *RoleSerializer.Meta.fields,
            "alternative_titles",
            "overview",
            "responsibilities",
            "skills",
            "qualifications",
            "education",
            "outlook",
            "faqs",
            "works_with",
            "broader",
            "narrower",
            "onet_soc",
            "esco_code",
            "salary_note",
            "salary_bands",
            "salary_figures",
            "sources",
            "reviewed_on",
            "attribution",
        ]

    def skill_links(self, role) -> list[RoleSkill]:
        return [*role.technical_skills, *role.soft_skills]

    @extend_schema_field(RoleSkillSerializer(many=True))
    def get_skills(self, role):
        return RoleSkillSerializer(self.skill_links(role), many=True, context=self.context).data

    @extend_schema_field(RoleBriefSerializer(allow_null=True))
    def get_broader(self, role):
        # Visitors see nothing of a draft, not even its title.
        if role.broader is None or not role.broader.is_published:
            return None
        return RoleBriefSerializer(role.broader, context=self.context).data

    @extend_schema_field(ATTRIBUTION_SCHEMA)
    def get_attribution(self, role):
        skills = [link.skill for link in self.skill_links(role)]
        return attribution(role, role.family, skills, role.published_narrower)

    @extend_schema_field(SkillBriefSerializer(many=True))
    def get_top_skills(self, role):
        # The detail lists every skill; its top three are the first required technical ones.
        required = [
            link.skill
            for link in role.technical_skills
            if link.importance == RoleSkill.Importance.REQUIRED
        ]
        return self.skills_serializer.to_representation(required[:3])


# Search --------------------------------------------------------------------------------------


def plain_snippet(headline: str) -> str:
    """PostgreSQL's highlighted text with its markers taken out."""
    return (headline or "").replace(START_MARK, "").replace(STOP_MARK, "")


class RoleResultSerializer(AddressesMixin, serializers.ModelSerializer):
    api_route = "api:role"
    family = serializers.CharField(source="family.name")
    snippet = serializers.SerializerMethodField()

    class Meta:
        model = Role
        fields = ["slug", "title", "family", "snippet", "url", "page_url"]

    def get_snippet(self, role) -> str:
        return plain_snippet(role.headline)


class SkillResultSerializer(AddressesMixin, serializers.ModelSerializer):
    api_route = "api:skill"
    snippet = serializers.SerializerMethodField()

    class Meta:
        model = Skill
        fields = ["slug", "name", "kind", "snippet", "url", "page_url"]

    def get_snippet(self, skill) -> str:
        return plain_snippet(skill.headline)


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="What was searched: the words, or their correction.")
    typed = serializers.CharField(help_text="When corrected: the words as typed; else empty.")
    suggestion = serializers.CharField(help_text="A correction that finds something, or empty.")
    role_count = serializers.IntegerField(help_text="Roles matching, in all.")
    skill_count = serializers.IntegerField(help_text="Skills matching, in all.")
    roles = RoleResultSerializer(many=True, help_text="The best ones.")
    skills = SkillResultSerializer(many=True, help_text="The best ones.")
    attribution = serializers.SerializerMethodField()

    @extend_schema_field(ATTRIBUTION_SCHEMA)
    def get_attribution(self, results):
        return attribution(results.roles, results.skills)


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details (api.problems)."""

    type = serializers.CharField(default="about:blank")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid query parameters: their messages, by parameter.",
    )
