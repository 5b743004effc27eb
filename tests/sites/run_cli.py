"""``python -m sites.run_cli (from tests/) ARGS``: the netpatrol CLI with the crawl command.

Crawls run in a subprocess each: Twisted's reactor cannot restart inside one process.
The crawl command is registered here if cli.py does not register it yet.
"""

from __future__ import annotations

import sys

import netpatrol.cli as cli
from netpatrol import cli_crawl


def main() -> int:
    if not any(command.name == "crawl" for command in cli.app.registered_commands):
        cli_crawl.register(cli.app, cli.workspace)
    return cli.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
