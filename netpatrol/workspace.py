"""A workspace: a folder with ``netpatrol.toml``, the database and ``evidence/``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netpatrol.config import CONFIG_FILENAME, Settings, commented_config, load_settings
from netpatrol.errors import WorkspaceError
from netpatrol.store import Store

WORKSPACE_ENV = "NETPATROL_WORKSPACE"


def locate(flag: Path | None, environ: Mapping[str, str] | None = None) -> Path:
    """--workspace, else NETPATROL_WORKSPACE, else the current directory."""
    env = os.environ if environ is None else environ
    if flag is not None:
        return flag.expanduser().resolve()
    if env.get(WORKSPACE_ENV):
        return Path(env[WORKSPACE_ENV]).expanduser().resolve()
    return Path.cwd().resolve()


@dataclass
class Workspace:
    root: Path
    settings: Settings
    store: Store

    @property
    def evidence_dir(self) -> Path:
        return self.settings.evidence_dir

    def own_files(self) -> list[Path]:
        """The workspace's database and evidence: never imported into itself."""
        database = self.root / "netpatrol.db"
        return [
            self.evidence_dir,
            database,
            database.with_name("netpatrol.db-wal"),
            database.with_name("netpatrol.db-shm"),
            self.root / CONFIG_FILENAME,
        ]

    def close(self) -> None:
        self.store.close()


def init_workspace(root: Path, overrides: Mapping[str, Any] | None = None) -> Workspace:
    """Create (or complete) a workspace; an existing netpatrol.toml is left as it is."""
    root.mkdir(parents=True, exist_ok=True)
    config = root / CONFIG_FILENAME
    if not config.exists():
        config.write_text(commented_config(), encoding="utf-8")
    settings = load_settings(root, overrides)
    try:
        settings.evidence_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(
            f"{settings.evidence_dir}: cannot create the evidence folder: {exc.strerror}"
        ) from None
    store = Store.open(settings.database_url)
    store.log_event("workspace.init", detail={"path": str(root)})
    return Workspace(root, settings, store)


def open_workspace(root: Path, overrides: Mapping[str, Any] | None = None) -> Workspace:
    """Open an initialised workspace, migrating its database to the current schema."""
    if not (root / CONFIG_FILENAME).exists():
        raise WorkspaceError(
            f"{root} is not a netpatrol workspace (no {CONFIG_FILENAME}); "
            f"run 'netpatrol init {root}' or pass --workspace DIR"
        )
    settings = load_settings(root, overrides)
    return Workspace(root, settings, Store.open(settings.database_url))
