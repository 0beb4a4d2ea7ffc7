"""Live work after hiring: task batches, the work queue, rater quality, preference export.

``batches`` (import with the item importers, gold mixed in, progress), ``queue`` (the atomic
claim, submit, skip), ``quality`` (pure statistics), ``quality_report`` (per rater and batch from
the database, the auto-pause rule), ``export`` (preference pairs), ``views`` and ``cli``.
"""

from portal.work.views import admin_bp, bp

blueprints = [bp, admin_bp]
