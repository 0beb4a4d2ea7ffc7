"""Sign-up, sign-in, email verification, password reset and role checks."""

from portal.auth.views import bp

blueprints = [bp]
