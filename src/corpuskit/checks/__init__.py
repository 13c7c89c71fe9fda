"""The checks of a built dataset: :func:`validate` (the ``validate`` command, run in users' CI)
and :func:`quick_check` (the same default checks, run by every build before its swap)."""

from .validate import Finding, quick_check, validate

__all__ = ["Finding", "quick_check", "validate"]
