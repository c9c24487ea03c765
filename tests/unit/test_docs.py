"""Docs checked against code: the CLI reference is the generated one; the README's promises hold."""

from pathlib import Path

from sitrep.clidoc import render

ROOT = Path(__file__).resolve().parents[2]


def test_cli_reference_is_up_to_date() -> None:
    assert (ROOT / "docs" / "CLI.md").read_text(encoding="utf-8") == render(), (
        "docs/CLI.md is stale: run `python -m sitrep.clidoc > docs/CLI.md`"
    )


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```", 2)[1]
    assert "make demo" in first_block and "make test" in first_block


def test_the_cli_names_every_evaluation() -> None:
    from sitrep.eval import evaluations

    reference = (ROOT / "docs" / "CLI.md").read_text(encoding="utf-8")
    section = reference.split("## sitrep eval", 1)[1].split("\n## ", 1)[0]
    assert all(name in section for name in evaluations()), "add the new evaluation to `sitrep eval`'s help"
