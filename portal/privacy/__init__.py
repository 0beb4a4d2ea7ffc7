"""An applicant's own data: download it as JSON, or have it deleted (anonymised)."""

from portal.privacy.views import bp

blueprints = [bp]
