from django.urls import path

from organizations.api import views

app_name = "organizations"

urlpatterns = [
    path("", views.OrganizationListCreateView.as_view(), name="list"),
    path("roles/", views.RoleListView.as_view(), name="roles"),
    path("<int:organization_id>/", views.OrganizationDetailView.as_view(), name="detail"),
    path("<int:organization_id>/members/", views.MemberListCreateView.as_view(), name="members"),
    path("<int:organization_id>/members/<int:user_id>/", views.MemberDetailView.as_view(), name="member-detail"),
    path("<int:organization_id>/services/", views.ServiceListCreateView.as_view(), name="services"),
    path("<int:organization_id>/services/<int:service_id>/", views.ServiceDetailView.as_view(), name="service-detail"),
    path("<int:organization_id>/clients/", views.ClientListCreateView.as_view(), name="clients"),
    path("<int:organization_id>/clients/<int:client_id>/", views.ClientDetailView.as_view(), name="client-detail"),
]
