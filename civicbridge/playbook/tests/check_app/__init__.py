"""A stand-in app whose `checks` module registers a check, for the autodiscovery test."""
