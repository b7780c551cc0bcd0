from typing import ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """An account; it acts for organisations through its person's memberships."""

    username = None  # type: ignore[assignment,misc]
    email = models.EmailField(_("e-mail address"), unique=True)
    person = models.OneToOneField(
        "partners.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc,assignment]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        """How the other side knows this user: their person's name, else the account's."""
        person = self.person if self.person_id else None
        return (person.name if person else "") or str(self)
