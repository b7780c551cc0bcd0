"""Who may change the playbook: users with the playbook-editor permission."""

from django.utils.translation import gettext as _

from civicbridge.core.permissions import Decision


def can_edit_playbook(user) -> Decision:
    if user.is_authenticated and user.has_perm("playbook.edit_playbook"):
        return True, ""
    return False, _("Only playbook editors can change the playbook.")
