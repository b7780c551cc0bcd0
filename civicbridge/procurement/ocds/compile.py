"""Merge the releases of one contracting process into its compiled release, the process's
current state, as the standard's merge routine does.

Releases are merged oldest first; a later value replaces an earlier one, an explicit
`null` removes the field, objects merge field by field, and lists of objects that carry
an `id` merge item by item on that `id` (parties, awards, contracts, milestones,
transactions, documents). Other lists are replaced whole. A release's own `id`, `date`
and `tag` are not merged: the compiled release has its own.
"""

from typing import Any

NOT_MERGED = ("id", "date", "tag")


def compile_releases(releases: list[dict]) -> dict:
    """The compiled release of `releases`, which share one ocid."""
    ordered = sorted(releases, key=lambda release: release.get("date", ""))
    compiled: dict = {}
    for release in ordered:
        merge(compiled, {k: v for k, v in release.items() if k not in NOT_MERGED})
    latest = ordered[-1]
    compiled["id"] = f"{latest['ocid']}-{latest['date']}"
    compiled["date"] = latest["date"]
    compiled["tag"] = ["compiled"]
    return compiled


def merge(target: dict, update: dict) -> None:
    """Merge `update` into `target` in place."""
    for key, value in update.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        elif _identified(value) and _identified(target.get(key)):
            target[key] = _merge_by_id(target[key], value)
        else:
            target[key] = _copy(value)


def _identified(value: Any) -> bool:
    """A non-empty list whose items are all objects with an `id`."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and "id" in item for item in value)
    )


def _merge_by_id(old: list[dict], new: list[dict]) -> list[dict]:
    by_id = {str(item["id"]): item for item in old}
    merged = list(old)
    for item in new:
        existing = by_id.get(str(item["id"]))
        if existing is None:
            copy = _copy(item)
            merged.append(copy)
            by_id[str(item["id"])] = copy
        else:
            merge(existing, item)
    return merged


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value
