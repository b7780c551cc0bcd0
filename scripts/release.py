"""Check that a release of the current version may be made, then tag it (`make release`).

The version is `civicbridge.__version__`. CHANGELOG.md (Keep a Changelog) must have a
section `## [X.Y.Z] - YYYY-MM-DD` for it, dated, with at least one entry, and no tag of
that version may exist yet; the work tree must be clean. With `--check` it only checks.
"""

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from civicbridge import __version__  # noqa: E402

SEMVER = re.compile(r"\d+\.\d+\.\d+")


def problems(version: str, changelog: str) -> list[str]:
    """What stops a release of `version` with this changelog: nothing when it may go."""
    if not SEMVER.fullmatch(version):
        return [f"The version {version!r} is not MAJOR.MINOR.PATCH."]
    heading = re.search(
        rf"^## \[{re.escape(version)}\](?: - (\S+))?[ \t]*$", changelog, flags=re.MULTILINE
    )
    if heading is None:
        return [f"CHANGELOG.md has no section “## [{version}] - YYYY-MM-DD”."]
    found = []
    try:
        date.fromisoformat(heading.group(1) or "")
    except ValueError:
        found.append(f"The section of {version} in CHANGELOG.md has no date (YYYY-MM-DD).")
    body = changelog[heading.end() :].split("\n## ", 1)[0]
    if not re.search(r"^- ", body, flags=re.MULTILINE):
        found.append(f"The section of {version} in CHANGELOG.md lists no change.")
    return found


def git(*arguments: str) -> str:
    return subprocess.run(
        ["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def main(argv: list[str]) -> int:
    found = problems(__version__, (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    tag = f"v{__version__}"
    if git("tag", "--list", tag).strip():
        found.append(f"The tag {tag} exists already: raise the version first.")
    if "--check" not in argv and git("status", "--porcelain").strip():
        found.append("The work tree has uncommitted changes: commit them first.")
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        return 1
    if "--check" in argv:
        print(f"{tag} may be released.")
        return 0
    git("tag", "-a", tag, "-m", f"Civic Bridge {__version__}")
    print(f"Tagged {tag}. Push it with: git push origin {tag}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
