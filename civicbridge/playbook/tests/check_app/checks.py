from civicbridge.playbook.checks import register

NAME = "check_app.always_holds"


@register(NAME)
def always_holds(collaboration) -> tuple[bool, str]:
    return True, "It always holds."
