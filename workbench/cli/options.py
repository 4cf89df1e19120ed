"""One definition of a command's options, shared by the commands that extend it.

`workbench run` takes every option of `workbench report` (and `report`
takes the notification options of `run`): rather than copying typer
option declarations, which drift apart the first time one is edited, a
command is declared as `def command(**options)` and given the combined
parameters of the functions whose options it takes. Typer reads the
resulting signature like a hand-written one; an option added to
`report_command` later (say `--pdf`) reaches `run` with no edit here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def parameters(source: Callable[..., Any]) -> list[inspect.Parameter]:
    """The typer parameters a command function declares, their annotations evaluated."""
    return list(inspect.signature(source, eval_str=True).parameters.values())


def names(source: Callable[..., Any]) -> list[str]:
    """The keyword names of a command function's options."""
    return [p.name for p in parameters(source)]


def combine(*sources: Callable[..., Any]) -> Callable[[F], F]:
    """Give a `def command(**options)` the options of every source, in order; a name declared twice is a bug."""

    def decorate(command: F) -> F:
        declared = [p for source in sources for p in parameters(source)]
        seen = [p.name for p in declared]
        if len(seen) != len(set(seen)):
            raise TypeError(
                f"{command.__name__}: options declared twice: {sorted({n for n in seen if seen.count(n) > 1})}"
            )
        keyword = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in declared]
        command.__signature__ = inspect.Signature(keyword, return_annotation=None)  # type: ignore[attr-defined]
        return command

    return decorate
