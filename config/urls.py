from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from common.docs import FaviconView, HomeView, RedocBundleView, RedocView
from common.views import HealthDependenciesView, HealthView

urlpatterns = [
    # A first visit (runserver prints this address, the admin links it as "View site") lands on the docs.
    path("", HomeView.as_view(), name="home"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("admin/", admin.site.urls),
    path("health/", HealthView.as_view(), name="health"),
    path("health/dependencies/", HealthDependenciesView.as_view(), name="health-dependencies"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="schema", metadata_class=None),  # OPTIONS: 405, not a 500
        name="swagger-ui",
    ),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    path("api/redoc/redoc.standalone.js", RedocBundleView.as_view(), name="redoc-bundle"),
    path("api/auth/", include("accounts.api.urls")),
    # Each app's documented paths (see the README's endpoint map).
    path("api/organizations/", include("organizations.api.urls")),
    path("orders/", include("orders.api.urls")),  # document 001
    path("api_v2/", include("reviews.api.urls")),  # document 000
    path("", include("assignments.api.urls")),  # document 002: /orders/assign, /order/*, /api/assignments/
    path("api/appraisals/", include("appraisals.api.urls")),  # document 003
    path("", include("partner.api.urls")),  # document 004: /v1/*, /v2/*, /metrics
    path("api/", include("events.api.urls")),  # /api/webhooks/, /api/notifications/
]

if settings.BENCH_BASELINES:
    # Hand-written baselines for `make bench` only; see bench/baseline.py.
    urlpatterns += [path("bench/baseline/", include("bench.baseline"))]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "common.middleware.json_bad_request"
handler404 = "common.views.json_not_found"
handler500 = "common.views.json_server_error"
