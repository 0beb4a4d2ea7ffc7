"""Pipeline automation: rules per posting, the ledger of what they did, the recruiter's queue

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-29 20:05:46

New tables only (automation_rule, posting_automation, rule_action, review_item); no data moves.
Default rules are added per posting by an admin (or seed-demo), switched off.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('automation_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('trigger', sa.String(length=32), nullable=False),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.Column('min_score', sa.Float(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('exit_reason', sa.String(length=32), nullable=True),
    sa.Column('delay_hours', sa.Integer(), nullable=False),
    sa.Column('template_key', sa.String(length=64), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['posting_id'], ['posting.id'], name=op.f('fk_automation_rule_posting_id_posting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_automation_rule_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_automation_rule'))
    )
    with op.batch_alter_table('automation_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_automation_rule_posting_id'), ['posting_id'], unique=False)

    op.create_table('posting_automation',
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user.id'], name=op.f('fk_posting_automation_changed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['posting_id'], ['posting.id'], name=op.f('fk_posting_automation_posting_id_posting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('posting_id', name=op.f('pk_posting_automation'))
    )
    op.create_table('review_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('answer_by', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['applicant_id'], ['applicant.id'], name=op.f('fk_review_item_applicant_id_applicant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user.id'], name=op.f('fk_review_item_resolved_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rule_id'], ['automation_rule.id'], name=op.f('fk_review_item_rule_id_automation_rule'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_item')),
    sa.UniqueConstraint('subject_type', 'subject_id', 'reason', 'stage', name=op.f('uq_review_item_subject_type'))
    )
    with op.batch_alter_table('review_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_item_answer_by'), ['answer_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_item_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_item_posting_id'), ['posting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_item_resolved_at'), ['resolved_at'], unique=False)

    op.create_table('rule_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('rule_version', sa.Integer(), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['applicant_id'], ['applicant.id'], name=op.f('fk_rule_action_applicant_id_applicant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rule_id'], ['automation_rule.id'], name=op.f('fk_rule_action_rule_id_automation_rule'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['undone_by_id'], ['user.id'], name=op.f('fk_rule_action_undone_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_action')),
    sa.UniqueConstraint('rule_id', 'subject_type', 'subject_id', 'action', name=op.f('uq_rule_action_rule_id'))
    )
    with op.batch_alter_table('rule_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rule_action_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rule_action_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rule_action_posting_id'), ['posting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rule_action_status'), ['status'], unique=False)



def downgrade():
    with op.batch_alter_table('rule_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rule_action_status'))
        batch_op.drop_index(batch_op.f('ix_rule_action_posting_id'))
        batch_op.drop_index(batch_op.f('ix_rule_action_due_at'))
        batch_op.drop_index(batch_op.f('ix_rule_action_applicant_id'))

    op.drop_table('rule_action')
    with op.batch_alter_table('review_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_item_resolved_at'))
        batch_op.drop_index(batch_op.f('ix_review_item_posting_id'))
        batch_op.drop_index(batch_op.f('ix_review_item_applicant_id'))
        batch_op.drop_index(batch_op.f('ix_review_item_answer_by'))

    op.drop_table('review_item')
    op.drop_table('posting_automation')
    with op.batch_alter_table('automation_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_automation_rule_posting_id'))

    op.drop_table('automation_rule')
