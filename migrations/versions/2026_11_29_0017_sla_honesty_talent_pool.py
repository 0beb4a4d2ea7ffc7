"""SLA honesty: profile_complete no longer waits on us (re-queue existing index rows)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 19:12:00

The candidate index stores `queue` (0: waiting on us). Rows written before this change still
say 0 for `profile_complete`; the new `talent_pool` stage is written by the app. No schema
change.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE candidate_index SET queue = 1 WHERE stage = 'profile_complete'")


def downgrade():
    op.execute("UPDATE candidate_index SET queue = 0 WHERE stage = 'profile_complete'")
