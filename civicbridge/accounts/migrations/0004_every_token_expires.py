"""Tokens made before every token had to end: those without an expiry, or with one further
off than TOKEN_MAX_DAYS, now end TOKEN_MAX_DAYS from today (not from when they were made, so
no script stops the day this runs)."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.db.models import Q
from django.utils import timezone


def give_every_token_an_end(apps, schema_editor):
    PersonalAccessToken = apps.get_model("accounts", "PersonalAccessToken")
    latest = timezone.now() + timedelta(days=settings.TOKEN_MAX_DAYS)
    PersonalAccessToken.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=latest)
    ).update(expires_at=latest)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_personal_access_token"),
    ]

    operations = [
        migrations.RunPython(give_every_token_an_end, migrations.RunPython.noop),
    ]
