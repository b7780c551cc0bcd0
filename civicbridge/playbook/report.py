"""The workshop report the playbook quotes, shipped with it, and where each quote sits in it.

Pure Python, no Django: the readiness engine uses it to tell, beside every explanation,
where in the report its sentence stands ("“Civic Tech NGOs and Services”, paragraph 2").

The report's body runs from its first paragraph to the "--" that ends the article. A
heading is a line of its own with no closing punctuation; a paragraph is a block between
blank lines; a block of bullet points is one paragraph whose points are counted too.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPORT = Path(__file__).parent / "data" / "civic-tech-and-governments-collaboration-models.txt"
LANGUAGE = "en"  # the language the report is written in
BULLET = "•"
# The article's header (title, author, publication, date) ends at this line.
_HEADER_END = re.compile(r"^\d+ min read")


def collapse(text: str) -> str:
    """Runs of white space as one space: quotes are compared this way."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Place:
    """Where a quote stands in the report: under which heading, which paragraph, which point.

    `section` is None before the report's first heading. `paragraph` counts from 1 within
    the section; `point` counts the bullet points of a paragraph that is a list.
    """

    section: str | None
    paragraph: int
    point: int | None = None

    def __str__(self) -> str:
        where = (
            f"“{self.section}”, paragraph {self.paragraph}"
            if self.section
            else (f"opening, paragraph {self.paragraph}")
        )
        return f"{where}, point {self.point}" if self.point else where

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "section": self.section,
            "paragraph": self.paragraph,
            "point": self.point,
            "text": str(self),
        }


@dataclass(frozen=True)
class _Passage:
    text: str  # collapsed
    place: Place


def _is_heading(block: list[str]) -> bool:
    line = block[0].strip()
    return len(block) == 1 and len(line) < 60 and not line.endswith((".", ":", "?", "!", "”"))


@cache
def text() -> str:
    return REPORT.read_text(encoding="utf-8")


@cache
def passages() -> tuple[_Passage, ...]:
    """Every paragraph and bullet point of the report's body, with its place."""
    lines = text().splitlines()
    start = next(i for i, line in enumerate(lines) if _HEADER_END.match(line)) + 1
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines[start:]:
        if line.strip() == "--":
            break
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    found: list[_Passage] = []
    section: str | None = None
    paragraph = 0
    for block in blocks:
        if _is_heading(block):
            section, paragraph = block[0].strip(), 0
            continue
        paragraph += 1
        if all(line.strip().startswith(BULLET) for line in block):
            for point, line in enumerate(block, start=1):
                item = line.strip().removeprefix(BULLET)
                found.append(_Passage(collapse(item), Place(section, paragraph, point)))
        else:
            found.append(_Passage(collapse(" ".join(block)), Place(section, paragraph)))
    return tuple(found)


@cache
def locate(quote: str) -> Place | None:
    """Where `quote` stands in the report, or None if it is not a verbatim part of it."""
    wanted = collapse(quote)
    if not wanted:
        return None
    return next((p.place for p in passages() if wanted in p.text), None)


def place_of(source: dict[str, str] | None) -> Place | None:
    """The place of a playbook `source` (a text by language) in the report."""
    if not source:
        return None
    quote = source.get(LANGUAGE)
    return locate(quote) if quote else None
