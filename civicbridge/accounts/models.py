from typing import ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
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

    audit_exclude = ("password",)  # an audit entry says a password changed, never to what

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        """How the other side knows this user: their person's name, else the account's."""
        person = self.person if self.person_id else None
        return (person.name if person else "") or str(self)


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read-write", _("Read and write")


class PersonalAccessTokenQuerySet(models.QuerySet["PersonalAccessToken"]):
    def usable(self):
        """Tokens neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PersonalAccessToken(models.Model):
    """A secret a script sends to the API as its user; only its SHA-256 hash is stored.

    It works until it expires, its user revokes it or its user's password changes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    prefix = models.CharField(max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(
        _("scope"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ
    )
    # Every token ends: at most TOKEN_MAX_DAYS after it was made.
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PersonalAccessTokenQuerySet.as_manager()

    audit_exclude = ("token_hash",)  # the hash stays out of the audit log

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE
