"""/sitemap.xml: an index of the catalogue's public pages in sections (Django's sitemaps
framework), so that search engines find every published role, skill and family.

Each section is paginated at SITEMAP_PAGE_SIZE addresses: the ESCO catalogue's 13,896 skills
make three pages and its 3,007 roles one. Sitemaps may hold 50,000 addresses, but a page of
5,000 stays under a megabyte of XML, renders in a fraction of a second when the page cache
misses, and fits a cache entry comfortably. A page reads its addresses in one query, with
the count for the paginator: two, however large the catalogue."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.views import View

from roles.models import Role, RoleFamily
from skills.models import Skill

SITEMAP_PAGE_SIZE = 5_000


class CatalogueSitemap(Sitemap):
    """Pages of one kind of record, newest change known from ``updated_at``."""

    limit = SITEMAP_PAGE_SIZE

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default reads every item to find the latest; the database knows it.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class StaticPagesSitemap(Sitemap):
    """The pages that are not records: home, the lists, the salary explorer."""

    def items(self):
        return [
            "catalogue:home",
            "roles:list",
            "catalogue:families",
            "skills:list",
            "salaries:explorer",
        ]

    def location(self, item):
        return reverse(item)


class RoleSitemap(CatalogueSitemap):
    """Published roles only: drafts and archived roles have no public page."""

    def items(self):
        return Role.objects.published().only("slug", "updated_at").order_by("pk")


class SkillSitemap(CatalogueSitemap):
    def items(self):
        return Skill.objects.only("slug", "updated_at").order_by("pk")


class FamilySitemap(CatalogueSitemap):
    """Families whose page lists a published role: those with one of their own or, for an
    ISCO-08 group, one in a group below it (the codes spell out the tree)."""

    def items(self):
        published = Role.objects.published()
        own = Exists(published.filter(family=OuterRef("pk")))
        in_branch = Exists(published.filter(family__code__startswith=OuterRef("code")))
        return (
            RoleFamily.objects.filter((Q(code="") & own) | (~Q(code="") & in_branch))
            .only("slug", "updated_at")
            .order_by("pk")
        )


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "roles": RoleSitemap,
    "skills": SkillSitemap,
    "families": FamilySitemap,
}


# Django's sitemap views are functions; these wrap them as classes, so that an unsafe method
# is answered 405 before the CSRF check (jobsite.middleware), as on every public page.
class SitemapIndexView(View):
    def get(self, request):
        return sitemap_views.index(request, SITEMAPS, sitemap_url_name="catalogue:sitemap-section")


class SitemapSectionView(View):
    def get(self, request, section):
        return sitemap_views.sitemap(request, SITEMAPS, section=section)
