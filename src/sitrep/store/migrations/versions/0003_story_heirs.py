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
    # batch mode: SQLite cannot add a foreign key to an existing table otherwise
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("merged_into", sa.Integer, sa.ForeignKey("stories.id", name="fk_stories_merged_into")))


def downgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("merged_into")
