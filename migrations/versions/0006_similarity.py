"""similarity reports

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 16:20:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('similarity_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exercise_slug', sa.String(length=100), nullable=False),
    sa.Column('basis', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('claim_token', sa.String(length=36), nullable=True),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('students', sa.Integer(), nullable=False),
    sa.Column('result', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('running', 'done', 'failed')", name=op.f('ck_similarity_reports_status_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_similarity_reports')),
    sa.UniqueConstraint('exercise_slug', name=op.f('uq_similarity_reports_exercise_slug'))
    )


def downgrade():
    op.drop_table('similarity_reports')
