import io

import pytest

from tests.applicants import samples


@pytest.fixture
def app_config():
    return {
        "RATELIMIT_ENABLED": True,
        "RESUME_UPLOAD_RATE_LIMIT": "2 per hour",
        "RESUME_PARSE_SANDBOX": False,
    }


def test_uploads_are_rate_limited_per_applicant(client, auth):
    auth.as_role("applicant")
    statuses = [
        client.post(
            "/me/resume",
            data={"resume": (io.BytesIO(samples.text_resume() + str(i).encode()), "cv.txt")},
            content_type="multipart/form-data",
        ).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert client.get("/me/resume").status_code == 200  # reading the page is not limited
