"""Write data/commitments.csv: a made-up action plan in the shape of the commitments data
the Open Government Partnership publishes (one row per commitment, its column names, and
the untidiness of real plans: dates in several forms, "NA"/"ND"/"NR"/"Unclear" markers,
titles of several sentences, several institutions in one cell, completion in any case).

Every value is invented: no row is copied from a real plan. The same seed writes the same
file, so the tests can count on it. Three rows are wrong on purpose (BAD_ROWS), for the
tests of refusing and skipping bad rows.

    python civicbridge/policy/tests/make_commitments_csv.py
"""

import csv
import random
from pathlib import Path

ROWS = 400
SEED = 2018
OUT = Path(__file__).parent / "data" / "commitments.csv"

COLUMNS = [
    "Commitment Unique Identifier",
    "Country/Locality",
    "Action Plan",
    "Commitment Title",
    "Short Title",
    "Full Text",
    "Lead Institution",
    "Supporting Institution(s)",
    "Start Date",
    "End Date",
    "Completion (End Of Term)",
    "Did It Open Government?",
    "URL",
    "Theme: Open Contracting",
    "Theme: Public Procurement",
    "Theme: Access to Information",
    "Theme: Fiscal Openness",
    "Theme: Civic Space",
]
PLACES = [
    ("Northland", "NL"),
    ("Southmere", "SM"),
    ("Eastvale", "EV"),
    ("Westbury City", "WB"),
    ("Lakeside Province", "LP"),
]
INSTITUTIONS = [
    "Ministry of Finance",
    "Ministry of Justice",
    "Ministry of Trade and Industry",
    "Public Procurement Agency",
    "Office of the Prime Minister",
    "National Statistics Office",
    "Department of Digital Government",
    "Ministry of Justice, Human Rights and Religious Affairs",
    "Anti-Corruption Commission",
    "City Council",
    "Transparency Network",
    "Open Data Alliance",
]
ACTIONS = [
    "Publish all public contracts",
    "Adopt the open contracting data standard",
    "Open the budget to citizens",
    "Create a beneficial ownership register",
    "Simplify procurement for small suppliers",
    "Pilot challenge-based innovation procurement",
    "Publish meeting minutes of procurement committees",
    "Train officials in access to information",
    "Consult civil society on the draft procurement law",
    "Open the register of public assets",
]
COMPLETIONS = [
    "Substantial",
    "substantial ",
    "Complete",
    "complete",
    "Completed",
    "Not Started",
    "not started",
    "Limited",
    "limited",
    "LIMITED",
    "Withdrawn",
    "NA",
    "",
    "Unclear",
]
MARKERS = ["NA", "ND", "NR", "N/A", "Unclear"]
OPENED = ["Did Not Change", "Marginal", "Major", "Outstanding", "NA"]
MONTHS = ["January", "March", "June", "July", "September", "December"]
BAD_ROWS = {57: "start", 123: "completion", 301: "order"}  # index in the list of rows


def a_date(rng: random.Random, year: int) -> str:
    """One of the ways real plans write a date."""
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    form = rng.randrange(10)
    if form < 4:
        return f"{month}/{day}/{year}"
    if form < 6:
        return f"{month}/{day}/{year % 100:02d}"
    if form < 8:
        return f"{rng.choice(MONTHS)} {year}"
    if form < 9:
        return str(year)
    return rng.choice(MARKERS)


def institutions(rng: random.Random, count: int) -> str:
    names = rng.sample(INSTITUTIONS, count)
    if count == 1:
        return names[0]
    separator = rng.choice(["; ", ";", "\n"])
    return separator.join(names)


def title(rng: random.Random, action: str, place: str) -> str:
    base = f"{action} in {place}"
    if rng.random() < 0.15:  # a title of several sentences, longer than 200 characters
        return (
            f"{base}. The government will publish the information in open formats, update it "
            "every month and involve civil society organisations, journalists and businesses "
            "in deciding what is published first, so that everyone can follow how public "
            "money is spent and who benefits from it."
        )
    return base


def row(rng: random.Random, number: int) -> list[str]:
    place, code = rng.choice(PLACES)
    start_year = rng.choice([2012, 2014, 2016, 2018, 2020])
    action = rng.choice(ACTIONS)
    commitment_title = title(rng, action, place)
    lead = institutions(rng, 1 if rng.random() < 0.8 else 2)
    supporting = institutions(rng, rng.randint(1, 3)) if rng.random() < 0.7 else rng.choice(MARKERS)
    themes = ["Yes" if rng.random() < 0.3 else "" for _ in range(5)]
    return [
        f"{code}{number:04d}",
        place,
        f"{place} Action Plan {start_year}-{start_year + 2}",
        commitment_title,
        action if rng.random() < 0.6 else "",
        f"{commitment_title}. Milestones: draft, consultation, publication.",
        lead,
        supporting,
        a_date(rng, start_year),
        a_date(rng, start_year + 2),
        rng.choice(COMPLETIONS),
        rng.choice(OPENED),
        f"https://example.org/commitments/{code.lower()}{number:04d}" if rng.random() < 0.5 else "",
        *themes,
    ]


def spoil(values: list[str], how: str) -> None:
    """Make a row wrong the way real files are: a date that is no date, a completion off
    the scale, an end before the start."""
    if how == "start":
        values[8] = "31/31/2015"
    elif how == "completion":
        values[10] = "Partially done"
    else:
        values[8], values[9] = "6/30/2018", "1/1/2016"


def main() -> None:
    rng = random.Random(SEED)
    rows = [row(rng, number) for number in range(1, ROWS + 1)]
    for index, how in BAD_ROWS.items():
        spoil(rows[index], how)
    OUT.parent.mkdir(exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        writer.writerows(rows)


if __name__ == "__main__":
    main()
