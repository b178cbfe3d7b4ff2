from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from responses.models import Publication


class PublishedResponseSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return (
            Publication.objects.latest_versions()
            .select_related("response__inspection")
            .newest_first()
        )

    def location(self, item):
        return reverse("public-response", args=[item.response.inspection.public_id])

    def lastmod(self, item):
        # None (no <lastmod>) for an imported statement: it has no time of publication.
        return item.published_at


class PublicPageSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["public-home", "public-on-time", "public-open-data", "public-accessibility"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"responses": PublishedResponseSitemap, "pages": PublicPageSitemap}
