# SPDX-License-Identifier: AGPL-3.0-or-later
"""Civic Bridge: plan, run and evaluate collaborations between civic-technology
organisations and public institutions."""

__version__ = "0.9.0"  # semantic versioning; CHANGELOG.md says what each version holds
