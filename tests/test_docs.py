"""Docs that cannot drift: every CLI command and every named query appears in the README."""
import re
from pathlib import Path

from budgetkg.cli import app
from budgetkg.graph.queries import named_queries

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_command_documented_with_an_example():
    import typer.main
    group = typer.main.get_group(app)
    for name, cmd in group.commands.items():
        assert f"budgetkg {name}" in README, name
        assert "Example:" in (cmd.help or ""), name


def test_every_named_query_documented():
    for name in named_queries():
        assert re.search(rf"`{name}`", README), name


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```")[1]
    assert "bash run.sh " in first_block and "bash run.sh test" in first_block
