"""Quality tier per assignment (the weekly hours cap follows it); a check per guideline version

Revision ID: 0026
Revises: 0019
Create Date: 2026-11-29 20:50:00

Existing assignments are "standard": their cap stays the hours agreed in the offer. Existing
guideline versions have no check (an empty list).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('quality_tier', sa.String(length=16), server_default='standard', nullable=False)
        )
    with op.batch_alter_table('guideline', schema=None) as batch_op:
        batch_op.add_column(sa.Column('check_items', sa.JSON(), server_default='[]', nullable=False))


def downgrade():
    with op.batch_alter_table('guideline', schema=None) as batch_op:
        batch_op.drop_column('check_items')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_column('quality_tier')
