import factory
from factory.django import DjangoModelFactory, Password

from accounts.models import User

DEFAULT_PASSWORD = "pass-Word-123"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    confirmed_email = True
    password = Password(DEFAULT_PASSWORD)
