"""Pipeline.through: the built-in stages up to one, in order, each with what it requires."""

import pytest

from sitrep.errors import ConfigError
from sitrep.pipeline import DEFAULT_STAGES, Pipeline


def test_through_a_stage_runs_every_stage_before_it() -> None:
    assert Pipeline.through("attribution").names == list(DEFAULT_STAGES[:DEFAULT_STAGES.index("attribution") + 1])
    assert Pipeline.through("segment").names == ["segment"]
    with pytest.raises(ConfigError, match="unknown stage"):
        Pipeline.through("astrology")
