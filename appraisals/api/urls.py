"""Document 003's paths have no trailing slash; the slashed form is served too (no redirect, so PUT/PATCH work).

The slashed duplicates are left out of the OpenAPI schema.
"""

from django.urls import URLPattern, URLResolver, re_path

from appraisals.api import views

app_name = "appraisals"

APPRAISAL = r"(?P<appraisalId>[0-9]{1,18})"
PARTICIPANT = r"(?P<participantId>[0-9]{1,18})"

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^$", views.AppraisalCollectionView.as_view(), name="appraisal-list"),
    re_path(rf"^{APPRAISAL}$", views.AppraisalDetailView.as_view(), name="appraisal-detail"),
    re_path(rf"^{APPRAISAL}/$", views.AppraisalDetailView.as_view(schema=None)),
    re_path(rf"^{APPRAISAL}/participants$", views.ParticipantCollectionView.as_view(), name="participant-list"),
    re_path(rf"^{APPRAISAL}/participants/$", views.ParticipantCollectionView.as_view(schema=None)),
    re_path(
        rf"^{APPRAISAL}/participants/{PARTICIPANT}$",
        views.ParticipantDetailView.as_view(),
        name="participant-detail",
    ),
    re_path(rf"^{APPRAISAL}/participants/{PARTICIPANT}/$", views.ParticipantDetailView.as_view(schema=None)),
]
