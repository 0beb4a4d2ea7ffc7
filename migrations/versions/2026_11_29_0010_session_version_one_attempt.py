"""session version on users; at most one assessment attempt in progress per applicant

Revision ID: 0010
Revises: 0011
Create Date: 2026-11-29 17:30:00

Before the partial unique index can exist, extra attempts in progress (left by the race the
index now prevents) are closed as expired: the newest in-progress attempt of each applicant is
kept, the older ones end at their deadline.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), server_default='1', nullable=False)
        )
    op.execute(
        "UPDATE attempt SET status = 'expired', ended_at = deadline "
        "WHERE status = 'in_progress' AND id NOT IN ("
        "SELECT max(id) FROM attempt WHERE status = 'in_progress' GROUP BY applicant_id)"
    )
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.create_index(
            'uq_attempt_one_in_progress',
            ['applicant_id'],
            unique=True,
            postgresql_where=sa.text("status = 'in_progress'"),
            sqlite_where=sa.text("status = 'in_progress'"),
        )


def downgrade():
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_index(
            'uq_attempt_one_in_progress',
            postgresql_where=sa.text("status = 'in_progress'"),
            sqlite_where=sa.text("status = 'in_progress'"),
        )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_version')
