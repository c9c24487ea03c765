"""stories.merged_into: where a story's reports went when the second pass emptied it

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain nullable column, no foreign key: SQLite can add it in place, where a constraint
    # would need the table rebuilt (and dropping `stories` would cascade to `story_keys`).
    op.add_column("stories", sa.Column("merged_into", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("merged_into")
