from pathlib import Path

import pytest

from sitrep.errors import ConfigError
from sitrep.settings import SETTINGS_HELP, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_layers_defaults_file_env_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "sitrep.toml"
    config.write_text('batch_size = 8\nmax_bytes = 1000\ndb = "from-file.db"\n', encoding="utf-8")
    monkeypatch.setenv("SITREP_CONFIG", str(config))
    monkeypatch.setenv("SITREP_MAX_BYTES", "2000")
    settings = load_settings({"db": "from-cli.db", "encoding": None})
    assert (settings.batch_size, settings.max_bytes, settings.db, settings.encoding) == (8, 2000, "from-cli.db", "auto")


def test_switches_read_words_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().revisit is True
    monkeypatch.setenv("SITREP_REVISIT", "false")
    assert load_settings().revisit is False
    monkeypatch.setenv("SITREP_REVISIT", "On")
    assert load_settings().revisit is True
    monkeypatch.setenv("SITREP_REVISIT", "maybe")
    with pytest.raises(ConfigError, match="revisit"):
        load_settings()


def test_bad_values_are_config_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_BATCH_SIZE", "many")
    with pytest.raises(ConfigError, match="batch_size"):
        load_settings()
    monkeypatch.delenv("SITREP_BATCH_SIZE")
    config = tmp_path / "c.toml"
    config.write_text("colour = 'red'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        load_settings(config=config)


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "SETTINGS.md").read_text(encoding="utf-8")
    for name in SETTINGS_HELP:
        assert f"`{name}`" in doc and f"SITREP_{name.upper()}" in doc, name
