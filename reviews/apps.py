from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self) -> None:
        from accounts.api.serializers import register_me_fields
        from reviews.api.serializers import ME_PROFILE_FIELDS

        # the executor's level, balls and rating on /api/auth/me/: the marketplace's, shown by accounts
        register_me_fields(**ME_PROFILE_FIELDS)
