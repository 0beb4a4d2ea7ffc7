"""Client projects, matching, offers and assignments.

The package import stays light: `matching` and `ratecard` are pure (numpy/scipy only) and load
without Flask or the database. The web side (blueprints, views, services, tasks) is in `web`.
"""
