"""proposal runs: the global proposal as a background job with progress and a stored result

Revision ID: 0025
Revises: 0026
Create Date: 2026-11-29 20:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('proposal_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=200), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('candidates', sa.Integer(), nullable=False),
    sa.Column('projects', sa.Integer(), nullable=False),
    sa.Column('total_score', sa.Float(), nullable=True),
    sa.Column('upper_bound', sa.Float(), nullable=True),
    sa.Column('optimal', sa.Boolean(), nullable=True),
    sa.Column('seconds', sa.Float(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_proposal_run_requested_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_run'))
    )
    with op.batch_alter_table('proposal_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_run_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_run_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('proposal_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_run_status'))
        batch_op.drop_index(batch_op.f('ix_proposal_run_created_at'))

    op.drop_table('proposal_run')
