"""The team-mix check (E4): teams made only of developers, and events without the people
who will use the result or the officials who will take it over.

Pure Python on disciplines as plain strings (the values of `choices.Discipline`), so the
same function serves the pages, the playbook's checks and the tests.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

DEVELOPER = "developer"
USER = "user"
OFFICIAL = "official"

Disciplines = Sequence[str]  # what one participant brings


@dataclass(frozen=True)
class MixReport:
    """What the confirmed participants and the teams say about the mix."""

    participants: int
    users: int
    officials: int
    coder_only_teams: tuple[str, ...]

    @property
    def has_users(self) -> bool:
        return self.users > 0

    @property
    def has_officials(self) -> bool:
        return self.officials > 0

    @property
    def flagged(self) -> bool:
        return bool(self.coder_only_teams) or not self.has_users or not self.has_officials


def coder_only(members: Iterable[Disciplines]) -> bool:
    """A team with members who are all developers and nothing else."""
    members = list(members)
    return bool(members) and all(set(member) <= {DEVELOPER} for member in members)


def check_mix(
    participants: Iterable[Disciplines], teams: Mapping[str, Iterable[Disciplines]]
) -> MixReport:
    """Count users and officials among `participants`; name the `teams` (name → each
    member's disciplines) made only of developers."""
    people = list(participants)
    return MixReport(
        participants=len(people),
        users=sum(1 for disciplines in people if USER in disciplines),
        officials=sum(1 for disciplines in people if OFFICIAL in disciplines),
        coder_only_teams=tuple(
            sorted(name for name, members in teams.items() if coder_only(members))
        ),
    )
