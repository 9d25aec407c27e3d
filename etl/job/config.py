"""Options of `figure-etl run` from a TOML file, so a cron line stays short.

Sources, first found wins: ``--config FILE`` (its top-level keys), else
``[tool.figure-etl]`` in ``pyproject.toml`` of the working directory. Command-line options
override the file. Keys are option names, with dashes or underscores (``log-format``,
``log_format``); ``inputs`` is a list of paths; flag pairs take a boolean
(``validate = false``, or ``no-validate = true``). Relative paths are taken relative to
the file's folder, so the file works from any working directory.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

PYPROJECT_TABLE = ("tool", "figure-etl")


class ConfigError(ValueError):
    """A config file that cannot be read or names an unknown option."""


@dataclass(frozen=True)
class OptionSpec:
    """What the loader needs to know of one command option."""

    name: str  # the parameter name the command receives
    keys: tuple[str, ...]  # accepted spellings in the file
    negating_keys: tuple[str, ...] = ()  # e.g. no-validate: sets name to the opposite
    is_path: bool = False
    multiple: bool = False


def find_config(explicit: Path | None, cwd: Path) -> tuple[Path, dict] | None:
    """The config file and its table of options, or None when there is none."""
    if explicit is not None:
        return explicit, _read(explicit)
    pyproject = cwd / "pyproject.toml"
    if not pyproject.is_file():
        return None
    table = _read(pyproject)
    for key in PYPROJECT_TABLE:
        table = table.get(key)
        if not isinstance(table, dict):
            return None
    return pyproject, table


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def to_defaults(table: dict, specs: list[OptionSpec], base: Path, source: Path) -> dict:
    """Map a config table onto option names (click's ``default_map``)."""
    by_key = {}
    for spec in specs:
        by_key.update({_norm(k): (spec, False) for k in spec.keys})
        by_key.update({_norm(k): (spec, True) for k in spec.negating_keys})
    defaults = {}
    for key, value in table.items():
        if _norm(key) not in by_key:
            known = ", ".join(sorted({s.keys[0] for s in specs}))
            raise ConfigError(f"{source}: unknown option {key!r} (known: {known})")
        spec, negate = by_key[_norm(key)]
        if negate:
            if not isinstance(value, bool):
                raise ConfigError(f"{source}: {key} must be true or false")
            value = not value
        if spec.multiple and isinstance(value, str):
            value = [value]
        if spec.is_path:
            value = [_resolve(v, base) for v in value] if spec.multiple else _resolve(value, base)
        defaults[spec.name] = value
    return defaults


def _norm(key: str) -> str:
    return key.strip().lstrip("-").replace("_", "-").lower()


def _resolve(value, base: Path) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"expected a path, got {value!r}")
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else base / path)
