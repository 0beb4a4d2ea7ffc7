"""The assessment's admin pages use the assessment flow's bank and applicants."""

from tests.assessments.flow.conftest import (  # noqa: F401 - fixtures shared with the flow tests
    app_config,
    applicant,
    bank,
)
