"""Settings: precedence, validation, the commented example file, docs; workspace location."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from netpatrol.config import (
    CATALOGUE,
    CONFIG_FILENAME,
    SETTINGS_BY_NAME,
    commented_config,
    load_settings,
    parse_overrides,
    read_config_file,
    read_environment,
)
from netpatrol.errors import ConfigError
from netpatrol.workspace import WORKSPACE_ENV, locate

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"
KNOWN = ", ".join(SETTINGS_BY_NAME)
DEFAULTS = {s.name: s.default for s in CATALOGUE}
DEFAULT_BATCH_SIZE = SETTINGS_BY_NAME["batch_size"].default


def _write_config(root: Path, text: str) -> Path:
    path = root / CONFIG_FILENAME
    path.write_text(text, encoding="utf-8")
    return path


def _values(root: Path, environ: dict[str, str], overrides: dict[str, Any]) -> dict[str, Any]:
    settings = load_settings(root, overrides, environ)
    return {name: settings[name] for name in SETTINGS_BY_NAME}


# --- precedence -------------------------------------------------------------------------


def test_defaults_without_file_environment_or_flags(tmp_path: Path) -> None:
    assert _values(tmp_path, {}, {}) == DEFAULTS
    assert {"database_url", "evidence_dir", "batch_size", "progress"} <= set(DEFAULTS)
    assert DEFAULTS["database_url"] == ""
    assert DEFAULTS["evidence_dir"] == "evidence"


def test_precedence_defaults_file_environment_flags(tmp_path: Path) -> None:
    _write_config(
        tmp_path,
        'batch_size = 10\nevidence_dir = "from-file"\nprogress = false\ncsv_encoding = "latin-1"\n',
    )
    environ = {
        "NETPATROL_BATCH_SIZE": "20",
        "NETPATROL_EVIDENCE_DIR": "from-env",
        "NETPATROL_MAX_ERRORS_PER_FILE": "7",
    }
    overrides = parse_overrides(["batch_size=30"])
    assert _values(tmp_path, environ, overrides) == {
        "database_url": "",  # default
        "csv_encoding": "latin-1",  # file
        "progress": False,  # file
        "evidence_dir": "from-env",  # environment over file
        "max_errors_per_file": 7,  # environment over default
        "batch_size": 30,  # flag over environment over file
        "allow_private_networks": False,  # default
        "geoip_database": "",  # default
    }


@pytest.mark.parametrize(
    ("file_value", "env_value", "flag_value", "expected"),
    [
        (None, None, None, DEFAULT_BATCH_SIZE),
        ("11", None, None, 11),
        ("11", "22", None, 22),
        ("11", "22", "33", 33),
        (None, "22", None, 22),
        (None, None, "33", 33),
        ("11", None, "33", 33),
    ],
)
def test_each_layer_overrides_the_ones_below(
    tmp_path: Path,
    file_value: str | None,
    env_value: str | None,
    flag_value: str | None,
    expected: int,
) -> None:
    if file_value is not None:
        _write_config(tmp_path, f"batch_size = {file_value}\n")
    environ = {"NETPATROL_BATCH_SIZE": env_value} if env_value is not None else {}
    overrides = parse_overrides([f"batch_size={flag_value}"]) if flag_value else {}
    settings = load_settings(tmp_path, overrides, environ)
    assert settings.batch_size == expected


def test_an_explicit_environment_replaces_the_process_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETPATROL_BATCH_SIZE", "99")
    assert load_settings(tmp_path, environ={}).batch_size == DEFAULT_BATCH_SIZE
    assert load_settings(tmp_path).batch_size == 99


def test_environment_reads_only_netpatrol_settings() -> None:
    environ = {
        "NETPATROL_WORKSPACE": "/somewhere",
        "NETPATROL_UNKNOWN": "x",
        "BATCH_SIZE": "3",
        "NETPATROL_PROGRESS": "no",
        "netpatrol_batch_size": "4",
    }
    assert read_environment(environ) == {"progress": False}


def test_settings_properties(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, environ={})
    assert settings.database_url == f"sqlite:///{tmp_path / 'netpatrol.db'}"
    assert settings.evidence_dir == tmp_path / "evidence"
    assert settings.batch_size == DEFAULT_BATCH_SIZE
    absolute = tmp_path / "elsewhere"
    settings = load_settings(
        tmp_path,
        {"database_url": "postgresql+psycopg://u@db/np", "evidence_dir": str(absolute)},
        {},
    )
    assert settings.database_url == "postgresql+psycopg://u@db/np"
    assert settings.evidence_dir == absolute


def test_unknown_name_on_settings() -> None:
    settings = load_settings(Path("/nonexistent-workspace"), environ={})
    with pytest.raises(ConfigError) as caught:
        settings["nope"]
    assert str(caught.value) == f"unknown setting 'nope'; known: {KNOWN}"


# --- parsing --set flags ----------------------------------------------------------------


def test_parse_overrides_types() -> None:
    assert parse_overrides(
        [
            "batch_size=5",
            "progress=off",
            "database_url=postgresql+psycopg://u@h/db?opt=a=b",
            " evidence_dir =ev",
        ]
    ) == {
        "batch_size": 5,
        "progress": False,
        "database_url": "postgresql+psycopg://u@h/db?opt=a=b",
        "evidence_dir": "ev",
    }
    assert parse_overrides([]) == {}
    assert parse_overrides(["progress=YES", "progress=0"]) == {"progress": False}


@pytest.mark.parametrize("raw", ["1", "true", "Yes", " on "])
def test_booleans_true(raw: str) -> None:
    assert parse_overrides([f"progress={raw}"]) == {"progress": True}


@pytest.mark.parametrize("raw", ["0", "FALSE", "no", "off"])
def test_booleans_false(raw: str) -> None:
    assert parse_overrides([f"progress={raw}"]) == {"progress": False}


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["batch_size"], "--set 'batch_size': expected NAME=VALUE"),
        (["nope=1"], f"--set: unknown setting 'nope'; known settings: {KNOWN}"),
        (["batch_size=abc"], "--set batch_size: setting batch_size expects an integer, got 'abc'"),
        (["batch_size=1.5"], "--set batch_size: setting batch_size expects an integer, got '1.5'"),
        (["batch_size=0"], "--set batch_size: setting batch_size must be positive, got 0"),
        (
            ["max_errors_per_file=-2"],
            "--set max_errors_per_file: setting max_errors_per_file must be positive, got -2",
        ),
        (["progress=maybe"], "--set progress: setting progress expects true or false, got 'maybe'"),
    ],
)
def test_bad_overrides(pairs: list[str], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_overrides(pairs)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"NETPATROL_BATCH_SIZE": "-3"},
            "NETPATROL_BATCH_SIZE: setting batch_size must be positive, got -3",
        ),
        (
            {"NETPATROL_BATCH_SIZE": "lots"},
            "NETPATROL_BATCH_SIZE: setting batch_size expects an integer, got 'lots'",
        ),
        (
            {"NETPATROL_PROGRESS": "2"},
            "NETPATROL_PROGRESS: setting progress expects true or false, got '2'",
        ),
    ],
)
def test_bad_environment(tmp_path: Path, environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, environ=environ)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("batch_size = true\n", "setting batch_size expects an integer, got True"),
        ('batch_size = "ten"\n', "setting batch_size expects an integer, got 'ten'"),
        ("batch_size = -1\n", "setting batch_size must be positive, got -1"),
        ("evidence_dir = 5\n", "setting evidence_dir expects a string, got 5"),
        ('progress = "sometimes"\n', "setting progress expects true or false, got 'sometimes'"),
        ("bogus = 1\n", f"unknown setting 'bogus'; known settings: {KNOWN}"),
        ("[database]\nurl = 'x'\n", f"unknown setting 'database'; known settings: {KNOWN}"),
    ],
)
def test_bad_config_file(tmp_path: Path, toml: str, message: str) -> None:
    path = _write_config(tmp_path, toml)
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, environ={})
    assert str(caught.value) == f"{path}: {message}"


def test_config_file_that_is_not_toml(tmp_path: Path) -> None:
    path = _write_config(tmp_path, "batch_size = = 3\n")
    with pytest.raises(ConfigError, match="not valid TOML") as caught:
        load_settings(tmp_path, environ={})
    assert str(caught.value).startswith(f"{path}: not valid TOML: ")


def test_config_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / CONFIG_FILENAME
    path.write_bytes(b'csv_encoding = "\xff"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, environ={})
    assert str(caught.value).startswith(f"{path}: not valid TOML: ")


def test_missing_config_file_is_no_settings(tmp_path: Path) -> None:
    assert read_config_file(tmp_path / CONFIG_FILENAME) == {}


# --- the commented example file ---------------------------------------------------------

SETTING_LINE = re.compile(r"^# (?P<name>[a-z_]+) = (?P<value>.*)$")


def test_commented_config_is_valid_toml_that_changes_nothing(tmp_path: Path) -> None:
    text = commented_config()
    assert tomllib.loads(text) == {}
    _write_config(tmp_path, text)
    assert _values(tmp_path, {}, {}) == DEFAULTS


def test_commented_config_lists_every_setting_with_its_default_and_help() -> None:
    text = commented_config()
    found = {
        m["name"]: m["value"]
        for line in text.splitlines()
        if (m := SETTING_LINE.match(line)) and m["name"] in SETTINGS_BY_NAME
    }
    assert sorted(found) == sorted(SETTINGS_BY_NAME)
    flat = " ".join(line.removeprefix("# ") for line in text.splitlines())
    for setting in CATALOGUE:
        assert " ".join(setting.help.split()) in flat, setting.name


def test_commented_config_with_every_setting_uncommented_gives_the_defaults(
    tmp_path: Path,
) -> None:
    lines = []
    for line in commented_config().splitlines():
        match = SETTING_LINE.match(line)
        lines.append(line[2:] if match and match["name"] in SETTINGS_BY_NAME else line)
    uncommented = "\n".join(lines)
    assert tomllib.loads(uncommented) == DEFAULTS
    _write_config(tmp_path, uncommented)
    assert read_config_file(tmp_path / CONFIG_FILENAME) == DEFAULTS


def test_commented_config_lines_are_short() -> None:
    long = [line for line in commented_config().splitlines() if len(line) > 88]
    assert long == []


# --- documentation ----------------------------------------------------------------------


def test_every_setting_is_documented() -> None:
    assert DOCS.exists(), (
        f"{DOCS.relative_to(DOCS.parents[1])} is missing; it must document every setting: "
        + ", ".join(SETTINGS_BY_NAME)
    )
    text = DOCS.read_text(encoding="utf-8")
    undocumented = [
        s.name
        for s in CATALOGUE
        if not re.search(rf"(?<![A-Za-z0-9_]){s.name}(?![A-Za-z0-9_])", text)
    ]
    assert undocumented == [], f"settings missing from docs/configuration.md: {undocumented}"


# --- workspace location -----------------------------------------------------------------


def test_locate_prefers_the_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    flag = tmp_path / "from-flag"
    assert locate(flag, {WORKSPACE_ENV: str(tmp_path / "from-env")}) == flag.resolve()


def test_locate_uses_the_environment_without_a_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {WORKSPACE_ENV: str(tmp_path / "from-env")}
    assert locate(None, env) == (tmp_path / "from-env").resolve()


def test_locate_falls_back_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert locate(None, {}) == tmp_path.resolve()
    assert locate(None, {WORKSPACE_ENV: ""}) == tmp_path.resolve()


def test_locate_resolves_relative_and_home_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert locate(Path("ws"), {}) == tmp_path.resolve() / "ws"
    assert locate(Path("~/ws"), {}) == (tmp_path / "home" / "ws").resolve()
    assert locate(None, {WORKSPACE_ENV: "rel/ws"}) == tmp_path.resolve() / "rel" / "ws"
    assert locate(None, {WORKSPACE_ENV: "~/env-ws"}) == (tmp_path / "home" / "env-ws").resolve()


def test_locate_reads_the_process_environment_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path / "env-ws"))
    assert locate(None) == (tmp_path / "env-ws").resolve()
    monkeypatch.delenv(WORKSPACE_ENV)
    monkeypatch.chdir(tmp_path)
    assert locate(None) == tmp_path.resolve()
