"""The one exception the resume parser raises for a file it cannot read."""


class ResumeError(Exception):
    """An unreadable or unsuitable resume; ``message`` is meant for the person who uploaded it."""

    def __init__(self, message: str, *, code: str = "unreadable") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
