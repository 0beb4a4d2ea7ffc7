from tests.api.conftest import make_token  # noqa: F401 - the fixture, for the API test here
