"""Job postings, the projects they staff, and the default posting existing applicants belong to

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 20:05:00

The default posting (slug ``ai-response-rater``) is the opening the portal recruited for before
postings existed; applications of existing applicants are moved onto it by a later revision.
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

DEFAULT_SLUG = "ai-response-rater"


def upgrade():
    posting = op.create_table(
        'posting',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=120), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('summary', sa.String(length=300), nullable=False),
        sa.Column('overview', sa.Text(), nullable=False),
        sa.Column('responsibilities', sa.Text(), nullable=False),
        sa.Column('qualifications', sa.Text(), nullable=False),
        sa.Column('commitment', sa.Text(), nullable=False),
        sa.Column('compensation', sa.Text(), nullable=False),
        sa.Column('process', sa.Text(), nullable=False),
        sa.Column('pay_min_cents', sa.Integer(), nullable=False),
        sa.Column('pay_max_cents', sa.Integer(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('hours_min', sa.Integer(), nullable=False),
        sa.Column('hours_max', sa.Integer(), nullable=False),
        sa.Column('domains', sa.JSON(), nullable=False),
        sa.Column('languages', sa.JSON(), nullable=False),
        sa.Column('locations', sa.JSON(), nullable=False),
        sa.Column('track', sa.String(length=40), nullable=False),
        sa.Column('answer_days', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('valid_through', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('slug'),
    )
    with op.batch_alter_table('posting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posting_status'), ['status'], unique=False)
    op.create_table(
        'posting_project',
        sa.Column('posting_id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['posting_id'], ['posting.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('posting_id', 'project_id'),
    )
    now = datetime.now(UTC)
    op.bulk_insert(posting, [{
        'slug': DEFAULT_SLUG,
        'title': 'AI Response Rater (remote, freelance)',
        'summary': 'Compare and rank AI model responses and explain why; 10–20 h/week, '
                   '$25–35/h, paid weekly.',
        'overview': 'Help train AI models by comparing and ranking their responses and '
                    'writing short rationales.',
        'responsibilities': '- Compare two responses or rank three or four\n'
                            '- Write a brief rationale for each judgement\n'
                            '- Flag broken or unsafe tasks\n'
                            '- Follow the labelling guidelines as they evolve',
        'qualifications': '- Careful reading and clear writing\n'
                          '- Expertise in a field (law, engineering, research, medicine, '
                          'creative writing, coding, …)',
        'commitment': '10–20 hours a week, remote and asynchronous.',
        'compensation': '$25–35 an hour by experience and location, paid weekly via Stripe '
                        'Connect, as an independent contractor.',
        'process': 'Resume, a short form and a brief timed assessment; we answer within '
                   '3–5 business days.',
        'pay_min_cents': 2500, 'pay_max_cents': 3500, 'currency': 'usd',
        'hours_min': 10, 'hours_max': 20,
        'domains': [], 'languages': [], 'locations': [],
        'track': 'general', 'answer_days': 5, 'status': 'open',
        'opened_at': now, 'valid_through': None, 'created_at': now, 'updated_at': now,
    }])


def downgrade():
    op.drop_table('posting_project')
    with op.batch_alter_table('posting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posting_status'))
    op.drop_table('posting')
