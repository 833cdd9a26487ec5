"""Module 9 teaches the kit's real commands: every `civickit ...` line in a code block of book/09-trainer/
is checked against the CLI itself (subcommands, options, option values, arguments), so a renamed
command or option makes this fail instead of leaving a lesson that teaches something that is gone."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from civickit.cli import main

REPO = Path(__file__).resolve().parents[1]
MODULE = REPO / "book" / "09-trainer"
FENCE = re.compile(r"^(`{3,}|~{3,})([^\n]*)\n(.*?)^\1\s*$", re.M | re.S)
SHELL_LANGUAGES = {"", "bash", "sh", "shell", "console"}


def shown_commands() -> list[tuple[str, str]]:
    """(page, command line) for every civickit line in a shell code block of the module."""
    found = []
    for page in sorted(MODULE.glob("*.md")):
        for _, language, body in FENCE.findall(page.read_text(encoding="utf-8")):
            if language.strip().lower() not in SHELL_LANGUAGES:
                continue
            for line in body.splitlines():
                line = line.strip().removeprefix("$ ")
                if line.startswith("civickit ") or line == "civickit":
                    found.append((page.name, line))
    return found


def problems(line: str) -> list[str]:
    """What in one command line the CLI does not have; empty when the command is real as written."""
    tokens = shlex.split(line, comments=True)[1:]
    command: click.Command = main
    path: list[str] = []
    ctx = click.Context(main, info_name="civickit")
    while isinstance(command, click.Group) and tokens and not tokens[0].startswith("-"):
        sub = command.get_command(ctx, tokens[0])
        if sub is None:
            return [f"no subcommand {tokens[0]!r} under 'civickit {' '.join(path)}'".replace("  ", " ")]
        path.append(tokens.pop(0))
        command = sub
    if isinstance(command, click.Group):
        return [f"'civickit {' '.join(path)}' is a group: name one of its subcommands"]

    options = {opt: p for p in command.params if isinstance(p, click.Option) for opt in p.opts + p.secondary_opts}
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    issues, positional = [], []
    while tokens:
        token = tokens.pop(0)
        if not token.startswith("-"):
            positional.append(token)
            continue
        name, _, inline_value = token.partition("=")
        option = options.get(name)
        if option is None:
            issues.append(f"{' '.join(path)}: no option {name}")
            continue
        if option.is_flag or option.count:
            continue
        value = inline_value or (tokens.pop(0) if tokens else None)
        if value is None:
            issues.append(f"{' '.join(path)}: {name} needs a value")
        elif isinstance(option.type, click.Choice) and value not in option.type.choices:
            issues.append(f"{' '.join(path)}: {name} {value!r} is not one of {list(option.type.choices)}")
    required = [a for a in arguments if a.required]
    if not len(required) <= len(positional) <= len(arguments):
        issues.append(f"{' '.join(path)}: {len(positional)} argument(s) given, expects "
                      f"{' '.join(a.human_readable_name for a in arguments) or 'none'}")
    return issues


def test_module_shows_the_cohort_cycle():
    """Do the module's code blocks show the commands of each stage: start, release, grade, feedback, report?"""
    shown = {" ".join(shlex.split(line, comments=True)[1:3]) for _, line in shown_commands()}
    for stage in ("cohort init", "cohort release", "cohort collect", "cohort autograde", "cohort feedback",
                  "cohort report", "cohort export"):
        assert stage in shown, f"module 9 shows no 'civickit {stage}' in a code block"


@pytest.mark.parametrize("page,line", shown_commands(), ids=lambda v: v if isinstance(v, str) else None)
def test_shown_command_is_real(page, line):
    """Is every civickit command shown in module 9 a real subcommand with real options and arguments?"""
    assert not problems(line), f"{page}: {line}"


@pytest.mark.parametrize("page,line", shown_commands(), ids=lambda v: v if isinstance(v, str) else None)
def test_shown_options_appear_in_the_commands_help(page, line):
    """Does `civickit <sub> --help` itself list every option the lesson uses?"""
    tokens = shlex.split(line, comments=True)[1:]
    path = []
    for token in tokens:
        if token.startswith("-") or (path and not isinstance(_resolve(path), click.Group)):
            break
        path.append(token)
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    for token in tokens:
        if token.startswith("--"):
            assert token.partition("=")[0] in result.output, f"{page}: {token} not in 'civickit {' '.join(path)} --help'"


def _resolve(path: list[str]) -> click.Command:
    command = main
    for name in path:
        command = command.get_command(click.Context(command), name)
    return command


@pytest.mark.parametrize(
    "line,why",
    [
        ("civickit cohort publish public-consultation", "no subcommand 'publish'"),
        ("civickit cohort release --fast public-consultation", "no option --fast"),
        ("civickit cohort due public-consultation 2026-12-15 --late never", "'never' is not one of"),
        ("civickit cohort release", "0 argument(s) given"),
        ("civickit cohort", "is a group"),
    ],
)
def test_checker_catches_a_command_that_does_not_exist(line, why):
    """Would a renamed command, an unknown option, a wrong choice or a missing argument be caught?"""
    assert any(why in issue for issue in problems(line)), problems(line)
