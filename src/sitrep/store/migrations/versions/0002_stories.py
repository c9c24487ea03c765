"""stories, story_keys, events, signatures, key_counts

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("historical", sa.Boolean, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("first_day", sa.String(10)),
        sa.Column("last_day", sa.String(10)),
        sa.Column("countries", sa.Text, nullable=False),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_stories_last_day", "stories", ["last_day"])
    op.create_index("ix_stories_type", "stories", ["type"])
    op.create_table(
        "story_keys",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_story_keys_story_id", "story_keys", ["story_id"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(80), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_id", sa.String(40), nullable=False),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id"), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("historical", sa.Boolean, nullable=False),
        sa.Column("day", sa.String(10)),
        sa.Column("score", sa.Float),
        sa.Column("facts", sa.Text, nullable=False),
        sa.UniqueConstraint("document_id", "event_id", name="uq_events_document_event"),
    )
    op.create_index("ix_events_story_id", "events", ["story_id"])
    op.create_index("ix_events_document_id", "events", ["document_id"])
    op.create_table(
        "signatures",
        sa.Column("document_id", sa.String(80), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "key_counts",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("documents", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("key_counts")
    op.drop_table("signatures")
    op.drop_index("ix_events_document_id", "events")
    op.drop_index("ix_events_story_id", "events")
    op.drop_table("events")
    op.drop_index("ix_story_keys_story_id", "story_keys")
    op.drop_table("story_keys")
    op.drop_index("ix_stories_type", "stories")
    op.drop_index("ix_stories_last_day", "stories")
    op.drop_table("stories")
