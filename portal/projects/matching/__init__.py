"""Match contractors to client projects: explain, rank and assign (pure: no Flask, no database).

Three layers share one scoring rule:

- ``explain`` is the readable per-pair reference: hard constraints, then six soft factors, each a
  value in [0, 1] times a normalised weight, summed into a score out of 100.
- ``CandidatePool`` + ``score_pool`` compute the same numbers for a whole pool with numpy (sparse
  incidence matrices for domains, skills and languages); ``rank_candidates`` sits on top. The
  arithmetic is written in the same order as ``explain`` so the scores agree to the last bit.
- ``propose_assignment`` fills every open project at once with an optimal assignment, solved as
  an integer program (HiGHS through ``scipy.optimize.milp``) over pruned candidate lists.

One module per layer: ``model`` (explain), ``pool`` (score and rank), ``proposal`` (assign).

Scores are on a 0-100 scale; assessment scores are expected on 0-100 too. Money is integer cents.
"""

from portal.projects.matching.model import (
    DEFAULT_WEIGHTS,
    LABELLING_MONTHS_FOR_FULL_CREDIT,
    YEARS_FOR_FULL_CREDIT,
    CandidateFeatures,
    Factor,
    MatchExplanation,
    MatchWeights,
    ProjectRequirements,
    explain,
)
from portal.projects.matching.pool import (
    CandidatePool,
    rank_candidates,
    rank_projects,
    score_pool,
)
from portal.projects.matching.proposal import (
    Assignment,
    Proposal,
    propose_assignment,
)

__all__ = [
    "Assignment",
    "CandidateFeatures",
    "CandidatePool",
    "DEFAULT_WEIGHTS",
    "Factor",
    "LABELLING_MONTHS_FOR_FULL_CREDIT",
    "MatchExplanation",
    "MatchWeights",
    "ProjectRequirements",
    "Proposal",
    "YEARS_FOR_FULL_CREDIT",
    "explain",
    "propose_assignment",
    "rank_candidates",
    "rank_projects",
    "score_pool",
]
