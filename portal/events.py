"""Domain events that other features follow (receivers are connected in their ``init_app``)."""

from blinker import Namespace

_events = Namespace()

# sender: the app; applicant_id=int. Sent inside the transaction that caused them: receivers
# that do work should queue it after commit (portal.jobs.delay_after_commit).
assessment_scored = _events.signal("assessment-scored")
profile_saved = _events.signal("profile-saved")
