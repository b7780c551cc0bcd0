from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser

GROUP = "Playbook editors"


class Command(BaseCommand):
    help = "Give an account the playbook-editor role, or take it away with --remove."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--remove", action="store_true")

    def handle(self, *args, **options) -> None:
        user = get_user_model().objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No account uses the e-mail address {options['email']}.")
        group, _ = Group.objects.get_or_create(name=GROUP)
        group.permissions.add(
            Permission.objects.get(content_type__app_label="playbook", codename="edit_playbook")
        )
        if options["remove"]:
            user.groups.remove(group)
            self.stdout.write(f"{user.email} no longer edits the playbook.")
        else:
            user.groups.add(group)
            self.stdout.write(f"{user.email} can now edit the playbook.")
