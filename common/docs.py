"""The API docs served without the internet: ReDoc with the system's fonts and its bundle's one outside image
(the Redocly logo from a CDN) pointed at a local file; Swagger UI and both bundles from drf-spectacular-sidecar."""

import functools

from django.contrib.staticfiles import finders
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import reverse
from drf_spectacular.views import SpectacularRedocView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
REDOCLY_CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
FAVICON = "drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png"


@functools.cache
def _redoc_bundle() -> bytes:
    path = finders.find(REDOC_BUNDLE)
    if not isinstance(path, str):
        raise FileNotFoundError(REDOC_BUNDLE)
    with open(path, "rb") as bundle:
        return bundle.read().replace(REDOCLY_CDN_LOGO.encode(), static(FAVICON).encode())


class _PublicPage(APIView):
    """A GET-only page outside the API schema; any other method is the API's JSON 405."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    metadata_class = None  # OPTIONS: 405
    schema = None


class HomeView(_PublicPage):
    """`/`, which runserver prints and the admin links as "View site": the docs."""

    def get(self, request: Request) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("swagger-ui"))


class FaviconView(_PublicPage):
    """/favicon.ico, which browsers ask for on every page: the docs' icon."""

    def get(self, request: Request) -> HttpResponseRedirect:
        return HttpResponseRedirect(static(FAVICON))


class RedocBundleView(_PublicPage):
    """The sidecar's ReDoc bundle, its CDN logo replaced by a local image."""

    def get(self, request: Request) -> HttpResponse:
        response = HttpResponse(_redoc_bundle(), content_type="application/javascript; charset=utf-8")
        response["Cache-Control"] = "public, max-age=86400"
        return response


class RedocView(SpectacularRedocView):
    """ReDoc without Google Fonts (templates/docs/redoc.html) and with the local bundle."""

    template_name = "docs/redoc.html"
    metadata_class = None  # OPTIONS: 405, not a 500

    @staticmethod
    def _redoc_standalone() -> str:
        return reverse("redoc-bundle")
