"""Document 003's paths, as written: no trailing slash, `appraisalId` and `participantId` of 1 to 18 digits.

The slashed form of each path is served too, by the same viewset but left out of the OpenAPI schema: no redirect,
so PUT and PATCH work with it. A router cannot say this (the collection at the mount point ends with its slash).
"""

from collections.abc import Mapping

from django.urls import URLPattern, re_path
from rest_framework.viewsets import GenericViewSet

from appraisals.api import views

app_name = "appraisals"

APPRAISAL = r"(?P<appraisalId>[0-9]{1,18})"
PARTICIPANT = r"(?P<participantId>[0-9]{1,18})"
COLLECTION: Mapping[str, str] = {"get": "list", "post": "create"}
ITEM: Mapping[str, str] = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}


def document_paths(regex: str, viewset: type[GenericViewSet], *, detail: bool, name: str) -> list[URLPattern]:
    """The document's path and, unless it is the mount point itself, its slashed twin."""
    actions, suffix = (ITEM, "Detail") if detail else (COLLECTION, "Collection")
    paths = [re_path(rf"^{regex}$", viewset.as_view({**actions}, detail=detail, suffix=suffix), name=name)]
    if regex:
        paths.append(re_path(rf"^{regex}/$", viewset.as_view({**actions}, detail=detail, suffix=suffix, schema=None)))
    return paths


urlpatterns = [
    *document_paths("", views.AppraisalViewSet, detail=False, name="appraisal-list"),
    *document_paths(APPRAISAL, views.AppraisalViewSet, detail=True, name="appraisal-detail"),
    *document_paths(f"{APPRAISAL}/participants", views.ParticipantViewSet, detail=False, name="participant-list"),
    *document_paths(
        f"{APPRAISAL}/participants/{PARTICIPANT}", views.ParticipantViewSet, detail=True, name="participant-detail"
    ),
]
