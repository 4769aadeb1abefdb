from rest_framework.routers import SimpleRouter

from events.api import views

app_name = "events"

# path converters: a non-numeric id is a 404 at routing
router = SimpleRouter(use_regex_path=False)
router.register("webhooks", views.WebhookViewSet, basename="webhook")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = router.urls
