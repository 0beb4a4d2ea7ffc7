"""Saved candidate searches; the stage an applicant left from when they exited

Revision ID: 0021
Revises: 0025
Create Date: 2026-11-29 20:20:00

`application.exit_stage` is filled for applications already rejected or withdrawn from the last
stage span their exit move wrote (the stage they left), and `applicant.exit_stage` (which mirrors
the furthest application) likewise from the applicant's last span, so the funnel counts them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'saved_search',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('query', sa.Text(), nullable=False),
        sa.Column('shared', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_saved_search_owner_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_search')),
        sa.UniqueConstraint('owner_id', 'name', name=op.f('uq_saved_search_owner_id')),
    )
    with op.batch_alter_table('saved_search', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_search_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_saved_search_shared'), ['shared'], unique=False)
    with op.batch_alter_table('applicant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exit_stage', sa.String(length=32), nullable=True))
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exit_stage', sa.String(length=32), nullable=True))
    op.execute(
        "UPDATE application SET exit_stage = ("
        " SELECT s.stage FROM stage_span s WHERE s.application_id = application.id"
        " ORDER BY s.left_at DESC, s.id DESC LIMIT 1"
        ") WHERE stage IN ('rejected', 'withdrawn')"
    )
    op.execute(
        "UPDATE applicant SET exit_stage = ("
        " SELECT s.stage FROM stage_span s WHERE s.applicant_id = applicant.id"
        " ORDER BY s.left_at DESC, s.id DESC LIMIT 1"
        ") WHERE stage IN ('rejected', 'withdrawn')"
    )


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('exit_stage')
    with op.batch_alter_table('applicant', schema=None) as batch_op:
        batch_op.drop_column('exit_stage')
    with op.batch_alter_table('saved_search', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_search_shared'))
        batch_op.drop_index(batch_op.f('ix_saved_search_owner_id'))
    op.drop_table('saved_search')
