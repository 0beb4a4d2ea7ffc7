"""Content-addressed file storage: a file's key is the sha256 of its bytes.

The embedded implementation keeps files under UPLOAD_FOLDER (`ab/cd/abcdef…`); an object-store
implementation with the same three methods can replace it without touching the callers.
"""

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app

_KEY = re.compile(r"^[0-9a-f]{64}$")


class LocalStorage:
    """Files in a directory tree, named by their sha256; saving the same bytes twice is a no-op."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """Where the file for `key` lives (whether or not it exists yet)."""
        if not _KEY.match(key):
            raise ValueError(f"not a sha256 key: {key!r}")
        return self.root / key[:2] / key[2:4] / key

    def save(self, data: bytes) -> str:
        key = hashlib.sha256(data).hexdigest()
        target = self.path(key)
        if target.exists() and target.stat().st_size == len(data):
            return key
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return key

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()


def get_storage() -> LocalStorage:
    """The app's upload storage (UPLOAD_FOLDER)."""
    return LocalStorage(current_app.config["UPLOAD_FOLDER"])
