"""Load the demo workspace: every app's `demo` module, in the order of INSTALLED_APPS.

That order is the order of the layers, so each room finds the records of the rooms below
it (the personas, the playbook, the fellowships an event led to) already there.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from civicbridge.partners import demo as partners_demo

ADMIN_EMAIL = "admin@example.org"
PASSWORD = "civic-bridge-demo"


def demo_modules() -> list:
    """The `demo` module of every installed app that has one, lowest layer first."""
    return [
        import_module(f"{config.name}.demo")
        for config in apps.get_app_configs()
        if config.name.startswith("civicbridge.") and module_has_submodule(config.module, "demo")
    ]


class Command(BaseCommand):
    help = "Load the demo workspace once: real organisations and one account per persona."

    def handle(self, *args, **options) -> None:
        User = get_user_model()
        # The playbook follows the shipped file on every run: a newer file is a new version.
        call_command("load_playbook", stdout=self.stdout)
        if User.objects.filter(email=ADMIN_EMAIL).exists():
            self.stdout.write("The demo workspace is already loaded; its data is kept.")
        else:
            with transaction.atomic():
                admin = User.objects.create_superuser(
                    ADMIN_EMAIL, PASSWORD, first_name="Platform", last_name="Admin"
                )
                for demo in demo_modules():
                    demo.load(admin, PASSWORD)
            self.stdout.write(self.style.SUCCESS("Loaded the demo workspace."))
        self.stdout.write(f"\nOpen {settings.SITE_URL}/ and sign in as one of these personas")
        self.stdout.write(f"(every password is {PASSWORD}):")
        personas = {**partners_demo.PERSONAS, "Platform admin": ADMIN_EMAIL}
        accounts = signs_in_with(
            PASSWORD, User.objects.prefetch_related("person__memberships__organisation")
        )
        for persona, email in personas.items():
            if email in accounts:
                self.stdout.write(f"  {persona:46} {email}")
        others = [
            user for email, user in sorted(accounts.items()) if email not in personas.values()
        ]
        if others:
            self.stdout.write("Other accounts in the demo, with the same password:")
            for user in others:
                self.stdout.write(f"  {self._organisation_of(user):46} {user.email}")

    @staticmethod
    def _organisation_of(user) -> str:
        person = getattr(user, "person", None)
        memberships = person.memberships.all() if person else []
        return next((m.organisation.name for m in memberships), user.display_name)


def signs_in_with(password: str, users) -> dict:
    """The accounts among `users` that can sign in with the password, by e-mail address.

    The demo also holds accounts without a password (a judge invited by e-mail, say):
    listing them under "every password is …" sends people to a sign-in that fails.
    """
    return {
        user.email: user
        for user in users.filter(is_active=True)
        if user.has_usable_password() and user.check_password(password)
    }
