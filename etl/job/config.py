"""Options of `figure-etl run` from a TOML file, so a cron line stays short.

Sources, first found wins: ``--config FILE`` (its top-level keys), else
``[tool.figure-etl]`` in ``pyproject.toml`` of the working directory. Command-line options
override the file. Keys are option names, with dashes or underscores (``log-format``,
``log_format``); ``inputs`` is a list of paths; flag pairs take a boolean
(``validate = false``, or ``no-validate = true``). Relative paths are taken relative to
the file's folder, so the file works from any working directory.
"""
from __future__ import annotations

import math
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
    value_type: str = "str"  # bool (a flag), int, float or str: what the file's value must be


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
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start}); a TOML file is UTF-8") from exc
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
        _check_type(key, value, spec, source)
        if spec.is_path:
            value = [_resolve(v, base) for v in value] if spec.multiple else _resolve(value, base)
        defaults[spec.name] = value
    return defaults


#: What a value of each option type must be in TOML, and how the error names it. A bool is
#: an int to Python, and click would take 1.5 for 1 and true for 1: each is refused.
_TYPES = {
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "int": (lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number"),
    "float": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v),
              "a finite number"),
    "str": (lambda v: isinstance(v, str), "a string"),
}


def _check_type(key: str, value, spec: OptionSpec, source: Path) -> None:
    fits, wanted = _TYPES[spec.value_type]
    if spec.multiple:
        if not (isinstance(value, list) and all(fits(v) for v in value)):
            raise ConfigError(f"{source}: {key} must be a list of strings (or one string), not {value!r}")
    elif not fits(value):
        raise ConfigError(f"{source}: {key} must be {wanted}, not {value!r}")


def _norm(key: str) -> str:
    return key.strip().lstrip("-").replace("_", "-").lower()


def _resolve(value, base: Path) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"expected a path, got {value!r}")
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else base / path)
