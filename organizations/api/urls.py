from rest_framework.routers import SimpleRouter

from organizations.api import views

app_name = "organizations"

# path converters (`<int:...>`), as the paths had before the viewsets: a non-numeric id is a 404 at routing
router = SimpleRouter(use_regex_path=False)
router.register("roles", views.RoleViewSet, basename="role")
router.register("", views.OrganizationViewSet, basename="organizations")
router.register("", views.OrganizationDetailViewSet, basename="organization")
router.register("<int:organization_id>/members", views.MemberViewSet, basename="member")
router.register("<int:organization_id>/services", views.ServiceViewSet, basename="service")
router.register("<int:organization_id>/clients", views.ClientViewSet, basename="client")

urlpatterns = router.urls
