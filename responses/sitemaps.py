from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from responses.models import Publication


class PublishedResponseSitemap(Sitemap):
    changefreq = "yearly"
    # Pages of the sitemap index (sitemap-responses.xml?p=2): each a bounded read of the
    # public list's index, however many responses are published.
    limit = 1000

    def items(self):
        return (
            Publication.objects.latest_versions()
            .select_related("response__inspection")
            .only("published_at", "response__inspection__public_id")
            .newest_first()
        )

    def location(self, item):
        return reverse("public-response", args=[item.response.inspection.public_id])

    def lastmod(self, item):
        # None (no <lastmod>) for an imported statement: it has no time of publication.
        return item.published_at

    def get_latest_lastmod(self):
        # One aggregate, where Django's default would read every item.
        return Publication.objects.latest_versions().aggregate(last=Max("published_at"))["last"]


class PublicPageSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["public-home", "public-on-time", "public-open-data", "public-accessibility"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"responses": PublishedResponseSitemap, "pages": PublicPageSitemap}
