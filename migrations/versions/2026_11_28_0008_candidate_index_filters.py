"""candidate index holds every list filter and sort

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 19:06:28.950183

The recruiter search now reads one table: the index row gains the applicant's name, stage,
country, hours, rate and creation time, its domains and skills become term
lists (a GIN-indexed text[] on PostgreSQL, JSON elsewhere), and the free-text document moves in
from candidate_document (which goes). Existing rows are filled from the applicant table and the
old document rows here; scores and labelling are kept as they were.

On PostgreSQL the tsvector loses its positions (strip: no phrase search or ranking uses them)
and is stored without compression, out of line once a row passes the TOAST threshold, so the
heap rows that filters and sorts read stay as narrow as they can.
"""
import unicodedata

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import TSVECTOR


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

TermList = sa.JSON().with_variant(postgresql.ARRAY(sa.Text()), 'postgresql')
NEW_NOT_NULL = {
    'name_key': sa.String(length=200),
    'stage': sa.String(length=32),
    'created_at': sa.DateTime(timezone=True),
    'hours_key': sa.Integer(),
    'score_key': sa.Float(),
    'domains': TermList,
    'skills': TermList,
}

def _name_key(name):
    decomposed = unicodedata.normalize('NFKD', (name or '').strip().casefold())
    return ''.join(c for c in decomposed if not unicodedata.combining(c))[:200]


SORT_INDEXES = {
    'ix_candidate_index_name': ['name_key', 'applicant_id'],
    'ix_candidate_index_created': ['created_at', 'applicant_id'],
    'ix_candidate_index_rate': ['desired_rate_cents', 'applicant_id'],
    'ix_candidate_index_score_key': ['score_key', 'applicant_id'],
    'ix_candidate_index_hours_key': ['hours_key', 'applicant_id'],
    'ix_candidate_index_stage': ['stage', 'stage_changed_at', 'applicant_id'],
    'ix_candidate_index_stage_name': ['stage', 'name_key', 'applicant_id'],
    'ix_candidate_index_stage_created': ['stage', 'created_at', 'applicant_id'],
    'ix_candidate_index_stage_rate': ['stage', 'desired_rate_cents', 'applicant_id'],
    'ix_candidate_index_stage_score': ['stage', 'score_key', 'applicant_id'],
    'ix_candidate_index_stage_hours': ['stage', 'hours_key', 'applicant_id'],
}

BACKFILL_POSTGRESQL = """
UPDATE candidate_index AS ci SET
  stage = a.stage, country = a.country,
  hours_key = coalesce(a.weekly_hours, -1), desired_rate_cents = a.desired_rate_cents,
  score_key = coalesce(ci.score, -1), created_at = a.created_at,
  domains = ARRAY(
    SELECT DISTINCT lower(btrim(t)) FROM json_array_elements_text(
      CASE WHEN json_typeof(a.domains) = 'array' THEN a.domains ELSE '[]'::json END) AS t
    WHERE btrim(t) <> ''),
  skills = ARRAY(
    SELECT DISTINCT lower(btrim(t)) FROM json_array_elements_text(
      CASE WHEN json_typeof(a.skills) = 'array' THEN a.skills ELSE '[]'::json END) AS t
    WHERE btrim(t) <> '')
FROM applicant AS a WHERE a.id = ci.applicant_id
"""

BACKFILL_SQLITE = """
UPDATE candidate_index SET
  stage = a.stage, country = a.country,
  hours_key = coalesce(a.weekly_hours, -1), desired_rate_cents = a.desired_rate_cents,
  score_key = coalesce(candidate_index.score, -1), created_at = a.created_at,
  domains = (SELECT json_group_array(v) FROM (
    SELECT DISTINCT lower(trim(value)) AS v FROM json_each(a.domains) WHERE trim(value) <> '')),
  skills = (SELECT json_group_array(v) FROM (
    SELECT DISTINCT lower(trim(value)) AS v FROM json_each(a.skills) WHERE trim(value) <> ''))
FROM applicant AS a WHERE a.id = candidate_index.applicant_id
"""


def upgrade():
    with op.batch_alter_table('applicant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applicant_desired_rate_cents'))
        batch_op.drop_index(batch_op.f('ix_applicant_full_name'))
        batch_op.drop_index(batch_op.f('ix_applicant_weekly_hours'))

    # The "|law|medicine|" strings give way to term lists, rebuilt from the applicant below.
    with op.batch_alter_table('candidate_index', schema=None) as batch_op:
        batch_op.drop_column('domains')
        batch_op.drop_column('skills')
    with op.batch_alter_table('candidate_index', schema=None) as batch_op:
        for name, type_ in NEW_NOT_NULL.items():
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.add_column(sa.Column('country', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('desired_rate_cents', sa.Integer(), nullable=True))

        batch_op.add_column(sa.Column('document', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('search_vector', sa.Text().with_variant(TSVECTOR(), 'postgresql'), nullable=True))

    dialect = op.get_bind().dialect.name
    # Deleted (anonymised) applicants leave the index: neither found nor counted live.
    op.execute(
        "DELETE FROM candidate_index WHERE applicant_id IN "
        "(SELECT id FROM applicant WHERE deleted_at IS NOT NULL)"
    )
    op.execute(BACKFILL_POSTGRESQL if dialect == 'postgresql' else BACKFILL_SQLITE)
    # Names sort case- and accent-folded (as portal.recruiters.search.name_key writes them).
    bind = op.get_bind()
    names = bind.execute(sa.text(
        "SELECT a.id, a.full_name FROM applicant AS a JOIN candidate_index AS ci "
        "ON ci.applicant_id = a.id"
    )).all()
    if names:
        bind.execute(
            sa.text("UPDATE candidate_index SET name_key = :key WHERE applicant_id = :id"),
            [{"id": id_, "key": _name_key(name)} for id_, name in names],
        )
    if dialect == 'postgresql':
        op.execute(
            "UPDATE candidate_index AS ci SET document = d.document, search_vector = strip(d.search_vector) "
            "FROM candidate_document AS d WHERE d.applicant_id = ci.applicant_id"
        )
        op.execute("ALTER TABLE candidate_index ALTER COLUMN search_vector SET STORAGE EXTERNAL")
    else:
        op.execute(
            "UPDATE candidate_index SET document = d.document, search_vector = d.search_vector "
            "FROM candidate_document AS d WHERE d.applicant_id = candidate_index.applicant_id"
        )
    op.execute("UPDATE candidate_index SET document = '' WHERE document IS NULL")
    with op.batch_alter_table('candidate_document', schema=None) as batch_op:
        batch_op.drop_index('ix_candidate_document_search_vector', postgresql_using='gin')
    op.drop_table('candidate_document')

    with op.batch_alter_table('candidate_index', schema=None) as batch_op:
        for name, type_ in NEW_NOT_NULL.items():
            batch_op.alter_column(name, existing_type=type_, nullable=False)
        batch_op.alter_column('document', existing_type=sa.Text(), nullable=False)
        batch_op.create_index('ix_candidate_index_search_vector', ['search_vector'], unique=False, postgresql_using='gin')
        batch_op.create_index(batch_op.f('ix_candidate_index_country'), ['country'], unique=False)
        batch_op.create_index('ix_candidate_index_domains', ['domains'], unique=False, postgresql_using='gin')
        batch_op.create_index('ix_candidate_index_skills', ['skills'], unique=False, postgresql_using='gin')
        # Every list order is an index ending in the tie-break, for everyone and per stage.
        for name, columns in SORT_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)

def downgrade():
    op.create_table('candidate_document',
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('search_vector', sa.Text().with_variant(TSVECTOR(), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['applicant_id'], ['applicant.id'], name=op.f('fk_candidate_document_applicant_id_applicant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('applicant_id', name=op.f('pk_candidate_document'))
    )
    with op.batch_alter_table('candidate_document', schema=None) as batch_op:
        batch_op.create_index('ix_candidate_document_search_vector', ['search_vector'], unique=False, postgresql_using='gin')
    op.execute(
        "INSERT INTO candidate_document (applicant_id, document, search_vector) "
        "SELECT applicant_id, document, search_vector FROM candidate_index"
    )
    with op.batch_alter_table('candidate_index', schema=None) as batch_op:
        batch_op.drop_index('ix_candidate_index_search_vector', postgresql_using='gin')
        batch_op.drop_column('search_vector')
        batch_op.drop_column('document')
        for name in reversed(SORT_INDEXES):
            batch_op.drop_index(name)
        batch_op.drop_index('ix_candidate_index_skills', postgresql_using='gin')
        batch_op.drop_index('ix_candidate_index_domains', postgresql_using='gin')
        batch_op.drop_index(batch_op.f('ix_candidate_index_country'))
        for name in ('created_at', 'desired_rate_cents', 'hours_key', 'score_key', 'country',
                     'stage', 'name_key', 'domains', 'skills'):
            batch_op.drop_column(name)
    # The old string columns come back empty: `flask --app wsgi recruiters reindex` refills them.
    with op.batch_alter_table('candidate_index', schema=None) as batch_op:
        batch_op.add_column(sa.Column('domains', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('skills', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('applicant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applicant_weekly_hours'), ['weekly_hours'], unique=False)
        batch_op.create_index(batch_op.f('ix_applicant_full_name'), ['full_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_applicant_desired_rate_cents'), ['desired_rate_cents'], unique=False)
