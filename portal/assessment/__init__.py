"""The portal side of the assessment (the engine is ``assessments/``).

``attempts`` (eligibility, the timed sitting, scoring), ``bank`` (items and guidelines),
``stats`` (item statistics), ``panel`` (the gold audit), ``grading`` (blind rationale grades),
``results`` (the staff breakdown), ``tasks`` (expiry), and the admin
pages (``views``, ``forms``), the ``import-items`` command (``cli``) and the demo data (``seed``).
"""

from portal.assessment.panel import bp as panel_bp
from portal.assessment.views import bp

blueprints = [bp, panel_bp]
