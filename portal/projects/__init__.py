"""Client projects, rate cards, matching and proposals (the admin's pages under /admin/projects).

`matching` and `ratecard` are the pure core (numpy/scipy only); `services/` feeds it from the
database and holds the use cases, one module per concern; the contractor's side is `portal.offers`.
"""

from portal.projects.views import bp

blueprints = [bp]
