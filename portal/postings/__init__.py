"""Job postings: the admin's pages, the public job board and each posting's page.

`rules` is the pure core (what a posting may hold, how its status moves); `services` holds the
use cases; `board` the board's queries; `pages` what a posting's page tells people and search
engines (sanitised Markdown, canonical URL, Open Graph, schema.org JSON-LD). Applications to a
posting live in `portal.applications`.
"""

from portal.postings.views import bp, jobs_bp

blueprints = [bp, jobs_bp]
