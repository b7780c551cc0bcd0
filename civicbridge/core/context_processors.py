from civicbridge import __version__


def version(request) -> dict:
    """The version of Civic Bridge this site runs, for the footer."""
    return {"civicbridge_version": __version__}
