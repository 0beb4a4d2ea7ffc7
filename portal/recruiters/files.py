"""Where a stored resume file lives: the upload storage, keyed by the file's sha256."""

from pathlib import Path

from portal.models import Resume
from portal.storage import get_storage


def resume_path(resume: Resume) -> Path | None:
    """The stored file of a resume, or None when it is gone (e.g. after anonymisation)."""
    storage = get_storage()
    return storage.path(resume.sha256) if storage.exists(resume.sha256) else None
