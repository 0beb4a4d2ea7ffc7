"""Where a stored resume file lives (content-addressed under UPLOAD_FOLDER by sha256)."""

from pathlib import Path

from flask import current_app

from portal.models import Resume


def resume_path(resume: Resume) -> Path | None:
    """The stored file of a resume, or None when it is gone.

    Uses the resume feature's own lookup when it provides one; otherwise looks for the
    usual content-addressed layouts (`<sha>`, `<sha>.<kind>`, `<sha[:2]>/<sha>[.<kind>]`).
    """
    try:
        from portal.applicants.services import resume_file_path  # type: ignore[attr-defined]
    except ImportError:
        resume_file_path = None
    if resume_file_path is not None:
        path = resume_file_path(resume)
        return Path(path) if path and Path(path).is_file() else None
    root = Path(current_app.config["UPLOAD_FOLDER"])
    sha = resume.sha256
    for base in (root, root / sha[:2], root / sha[:2] / sha[2:4], root / "resumes"):
        for name in (sha, f"{sha}.{resume.kind}"):
            candidate = base / name
            if candidate.is_file():
                return candidate
    matches = sorted(root.rglob(f"{sha}*")) if root.is_dir() else []
    return matches[0] if matches else None
