"""Settings: one catalogue with defaults and help.

Precedence, lowest first: defaults < workspace ``netpatrol.toml`` < ``NETPATROL_*``
environment variables < command-line flags.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netpatrol.errors import ConfigError

CONFIG_FILENAME = "netpatrol.toml"
ENV_PREFIX = "NETPATROL_"


@dataclass(frozen=True)
class Setting:
    """One documented setting."""

    name: str
    type: type
    default: Any
    help: str


CATALOGUE: tuple[Setting, ...] = (
    Setting(
        "database_url",
        str,
        "",
        "SQLAlchemy URL of the database. Empty: the workspace's SQLite file netpatrol.db. "
        "For a team, e.g. postgresql+psycopg://user@host/netpatrol (password by "
        "NETPATROL_DATABASE_URL only, never in this file).",
    ),
    Setting(
        "evidence_dir",
        str,
        "evidence",
        "Folder of the WARC evidence files, relative to the workspace unless absolute.",
    ),
    Setting(
        "batch_size",
        int,
        2000,
        "Records stored per database transaction while importing (a batch also ends at "
        "32 MiB of payload). A crash or Ctrl-C loses at most the batch in flight; the "
        "re-run stores it without duplicates.",
    ),
    Setting(
        "max_errors_per_file",
        int,
        100,
        "Bad rows reported per file before the importer gives up on the rest of it.",
    ),
    Setting(
        "csv_encoding",
        str,
        "auto",
        "Text encoding of CSV exports. 'auto': a byte-order mark, else UTF-8 if the "
        "start of the file decodes, else cp1252 (Windows exports).",
    ),
    Setting(
        "progress",
        bool,
        True,
        "Show progress bars on long work (never when output is not a terminal).",
    ),
    Setting(
        "allow_private_networks",
        bool,
        False,
        "Let the crawler fetch private, loopback, link-local and cloud-metadata addresses "
        "(refused by default, after DNS resolution and on every redirect). For tests and "
        "for authorised work on an internal network only.",
    ),
    Setting(
        "geoip_database",
        str,
        "",
        "IP -> country database for the hosting country. Empty: the one shipped with "
        "geoip2fast (GeoLite2 Country + ASN, 2024-06-18). Else the path of a newer file: a "
        "MaxMind / DB-IP .mmdb, a DB-IP country lite .csv(.gz) or a geoip2fast .dat.gz.",
    ),
)

SETTINGS_BY_NAME: dict[str, Setting] = {s.name: s for s in CATALOGUE}


@dataclass(frozen=True)
class Settings:
    """Resolved settings of one workspace."""

    workspace: Path
    values: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        if name not in SETTINGS_BY_NAME:
            raise ConfigError(f"unknown setting {name!r}; known: {', '.join(SETTINGS_BY_NAME)}")
        return self.values.get(name, SETTINGS_BY_NAME[name].default)

    @property
    def database_url(self) -> str:
        url = str(self["database_url"])
        return url or f"sqlite:///{self.workspace / 'netpatrol.db'}"

    @property
    def evidence_dir(self) -> Path:
        path = Path(str(self["evidence_dir"]))
        return path if path.is_absolute() else self.workspace / path

    @property
    def batch_size(self) -> int:
        return int(self["batch_size"])


def coerce(setting: Setting, raw: Any, origin: str) -> Any:
    """Turn a raw value from a file, the environment or a flag into the setting's type."""
    if setting.type is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(f"{origin}: setting {setting.name} expects true or false, got {raw!r}")
    if setting.type is int:
        if isinstance(raw, bool):
            raise ConfigError(f"{origin}: setting {setting.name} expects an integer, got {raw!r}")
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ConfigError(
                f"{origin}: setting {setting.name} expects an integer, got {raw!r}"
            ) from None
        if value <= 0:
            raise ConfigError(f"{origin}: setting {setting.name} must be positive, got {value}")
        return value
    if not isinstance(raw, str):
        raise ConfigError(f"{origin}: setting {setting.name} expects a string, got {raw!r}")
    return raw


def _known(name: str, origin: str) -> Setting:
    if name not in SETTINGS_BY_NAME:
        raise ConfigError(
            f"{origin}: unknown setting {name!r}; known settings: {', '.join(SETTINGS_BY_NAME)}"
        )
    return SETTINGS_BY_NAME[name]


def read_config_file(path: Path) -> dict[str, Any]:
    """Settings from a TOML file; a missing file is no settings."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return {name: coerce(_known(name, str(path)), raw, str(path)) for name, raw in data.items()}


def read_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Settings from NETPATROL_<NAME> variables (NETPATROL_WORKSPACE is not a setting)."""
    values: dict[str, Any] = {}
    for setting in CATALOGUE:
        key = ENV_PREFIX + setting.name.upper()
        if key in environ:
            values[setting.name] = coerce(setting, environ[key], key)
    return values


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """``NAME=VALUE`` pairs from ``--set`` flags."""
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep:
            raise ConfigError(f"--set {pair!r}: expected NAME=VALUE")
        setting = _known(name.strip(), "--set")
        values[setting.name] = coerce(setting, raw, f"--set {setting.name}")
    return values


def load_settings(
    workspace: Path,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve settings for a workspace with the documented precedence."""
    values: dict[str, Any] = {s.name: s.default for s in CATALOGUE}
    values.update(read_config_file(workspace / CONFIG_FILENAME))
    values.update(read_environment(os.environ if environ is None else environ))
    values.update(overrides or {})
    return Settings(workspace=workspace, values=values)


def commented_config() -> str:
    """The example ``netpatrol.toml`` that ``init`` writes: every setting, commented."""
    lines = [
        "# netpatrol workspace settings.",
        "# Precedence: defaults < this file < NETPATROL_<NAME> environment variables",
        "# < command-line flags (--set NAME=VALUE). Uncomment a line to change it.",
        "",
    ]
    for setting in CATALOGUE:
        for chunk in _wrap(setting.help, 86):
            lines.append(f"# {chunk}")
        lines.append(f"# {setting.name} = {_toml_value(setting.default)}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines
