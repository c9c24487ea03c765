"""Built-in stages; importing this package registers them (see pipeline.register_stage)."""

from . import dating, disclosure, nlp, posts, segment  # noqa: F401

__all__: list[str] = []
