"""item language (languages track), status and version (gold audit), panel answers, grades

Items already in the bank stay live (server default); new items start as drafts (model default).

Revision ID: 0011
Revises: 0015
Create Date: 2026-11-29 17:40:00
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('language', sa.String(length=8), server_default='en', nullable=False)
        )
        batch_op.add_column(
            sa.Column('status', sa.String(length=16), server_default='live', nullable=False)
        )
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_index(batch_op.f('ix_item_status'), ['status'], unique=False)
    op.create_table(
        'panel_answer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('rater_id', sa.Integer(), nullable=True),
        sa.Column('answer', sa.JSON(), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['item_id'], ['item.id'], name=op.f('fk_panel_answer_item_id_item'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['rater_id'], ['user.id'], name=op.f('fk_panel_answer_rater_id_user'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_answer')),
        sa.UniqueConstraint('item_id', 'rater_id', name=op.f('uq_panel_answer_item_id')),
    )
    with op.batch_alter_table('panel_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_panel_answer_item_id'), ['item_id'], unique=False)
    op.create_table(
        'rationale_grade',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('attempt_item_id', sa.Integer(), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), nullable=True),
        sa.Column('grade', sa.Integer(), nullable=False),
        sa.Column('graded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['attempt_item_id'], ['attempt_item.id'],
            name=op.f('fk_rationale_grade_attempt_item_id_attempt_item'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['reviewer_id'], ['user.id'],
            name=op.f('fk_rationale_grade_reviewer_id_user'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rationale_grade')),
        sa.UniqueConstraint(
            'attempt_item_id', 'reviewer_id',
            name=op.f('uq_rationale_grade_attempt_item_id'),
        ),
    )
    with op.batch_alter_table('rationale_grade', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_rationale_grade_attempt_item_id'), ['attempt_item_id'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_rationale_grade_reviewer_id'), ['reviewer_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('rationale_grade', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rationale_grade_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_rationale_grade_attempt_item_id'))
    op.drop_table('rationale_grade')
    with op.batch_alter_table('panel_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_panel_answer_item_id'))
    op.drop_table('panel_answer')
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_status'))
        batch_op.drop_column('version')
        batch_op.drop_column('status')
        batch_op.drop_column('language')
