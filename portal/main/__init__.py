"""The public pages and the health check."""

from portal.main.views import bp

blueprints = [bp]
