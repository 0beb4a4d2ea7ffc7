"""applications per posting: every applicant's place in the pipeline moves onto the default posting

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29 20:20:00

Each applicant gets one application on the default posting (``ai-response-rater``, created by
0018) carrying their stage, when it changed and their exit reason and note; their stage spans
point at it. ``applicant.stage`` stays (it mirrors the furthest application). Attempts gain the
track they were drawn for (NULL for older ones: they assess the default posting, as before).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

DEFAULT_SLUG = "ai-response-rater"


def upgrade():
    op.create_table(
        'application',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('applicant_id', sa.Integer(), nullable=False),
        sa.Column('posting_id', sa.Integer(), nullable=False),
        sa.Column('stage', sa.String(length=32), nullable=False),
        sa.Column('stage_changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('exit_reason', sa.String(length=32), nullable=True),
        sa.Column('exit_note', sa.Text(), nullable=True),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['applicant_id'], ['applicant.id'], name=op.f('fk_application_applicant_id_applicant'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_application_owner_id_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['posting_id'], ['posting.id'], name=op.f('fk_application_posting_id_posting'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_application')),
        sa.UniqueConstraint('applicant_id', 'posting_id', name=op.f('uq_application_applicant_id')),
    )
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_exit_reason'), ['exit_reason'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_stage'), ['stage'], unique=False)
        batch_op.create_index('ix_application_posting_stage', ['posting_id', 'stage', 'stage_changed_at'], unique=False)

    with op.batch_alter_table('stage_span', schema=None) as batch_op:
        batch_op.add_column(sa.Column('application_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_stage_span_application_id'), ['application_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_stage_span_application_id_application'), 'application', ['application_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('track', sa.String(length=40), nullable=True))

    # Every applicant, deleted ones included (their history stays whole), onto the default posting.
    op.execute(
        "INSERT INTO application (applicant_id, posting_id, stage, stage_changed_at, exit_reason, "
        "exit_note, created_at) "
        "SELECT a.id, p.id, a.stage, a.stage_changed_at, a.exit_reason, a.exit_note, a.created_at "
        f"FROM applicant AS a CROSS JOIN posting AS p WHERE p.slug = '{DEFAULT_SLUG}'"
    )
    op.execute(
        "UPDATE stage_span SET application_id = (SELECT application.id FROM application "
        "WHERE application.applicant_id = stage_span.applicant_id)"
    )


def downgrade():
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_column('track')

    with op.batch_alter_table('stage_span', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stage_span_application_id_application'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_stage_span_application_id'))
        batch_op.drop_column('application_id')

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_posting_stage')
        batch_op.drop_index(batch_op.f('ix_application_stage'))
        batch_op.drop_index(batch_op.f('ix_application_owner_id'))
        batch_op.drop_index(batch_op.f('ix_application_exit_reason'))
        batch_op.drop_index(batch_op.f('ix_application_applicant_id'))

    op.drop_table('application')
