"""Recruiter tests build many applicants: hash the one test password once, not per user."""

from functools import lru_cache

import pytest

from portal.models import user as user_module


@pytest.fixture(autouse=True)
def _fast_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        user_module,
        "generate_password_hash",
        lru_cache(maxsize=8)(user_module.generate_password_hash),
    )
