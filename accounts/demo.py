from accounts.models import EmailConfirmation, User, UserSession
from accounts.services import email_confirmation_send, session_start


def ensure_user(*, username: str, password: str, confirmed: bool = True, **extra: object) -> User:
    """Get or create a demo user with a known password (shared by every app's demo data)."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@example.com",
            "confirmed_email": confirmed,
            **extra,
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def seed_demo(*, password: str) -> list[tuple[str, str]]:
    ensure_user(
        username="admin",
        password=password,
        is_staff=True,
        is_superuser=True,
        first_name="Admin",
    )
    demo = ensure_user(username="demo", password=password, first_name="Demo", last_name="User")
    unconfirmed = ensure_user(username="unconfirmed", password=password, confirmed=False)
    # something on the sessions, codes and mail screens of the admin
    if not UserSession.objects.filter(user=demo).exists():
        session_start(user=demo, user_agent="Mozilla/5.0 (demo browser)", ip_address="127.0.0.1")
    if not EmailConfirmation.objects.filter(user=unconfirmed).exists():
        email_confirmation_send(user=unconfirmed)
    return [
        ("admin", "staff superuser: /admin/"),
        ("demo", "confirmed user"),
        ("unconfirmed", "email not confirmed (403 on business endpoints)"),
    ]
