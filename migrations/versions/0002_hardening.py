"""sessions and tokens: session version, token names and revocation

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 16:10:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
