"""The one error recruiter actions raise."""


class ActionError(ValueError):
    """A recruiter action that cannot be done; the message says why."""
