from django.db.models import QuerySet

from accounts.models import User, UserSession


def session_list(*, user: User) -> QuerySet[UserSession]:
    return UserSession.objects.filter(user=user)


def session_get_for_user(*, user: User, session_id: str) -> UserSession | None:
    return UserSession.objects.filter(user=user, pk=session_id).first()
