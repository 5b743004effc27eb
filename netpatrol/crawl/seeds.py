"""Seeds from the command line: URLs, or files of one URL a line.

A seed line may carry options after the URL: ``proxy=http://host:port`` sends that
seed's site through an HTTP(S) proxy; ``js=1`` renders that seed's site's pages in a
headless chromium (JavaScript pages, see :mod:`netpatrol.crawl.browser`). ``#`` starts a
comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from netpatrol.crawl.sites import registrable_domain
from netpatrol.errors import InputError

_YES = {"1", "true", "yes", "on"}
_NO = {"0", "false", "no", "off"}


@dataclass
class Seeds:
    urls: list[str] = field(default_factory=list)
    proxies: dict[str, str] = field(default_factory=dict)  # registrable domain -> proxy
    js: set[str] = field(default_factory=set)  # registrable domains rendered in chromium


def _check_url(url: str, where: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InputError(Path(where), f"{url!r} is not an absolute http(s) URL")
    return url if parts.path else url + "/"


def parse_seeds(arguments: list[str]) -> Seeds:
    seeds = Seeds()
    for argument in arguments:
        if "://" in argument:
            seeds.urls.append(_check_url(argument, "command line"))
            continue
        path = Path(argument)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InputError(path, f"cannot read the seed file: {exc.strerror}") from None
        for number, line in enumerate(lines, start=1):
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            url = _check_url(words[0], f"{path}:{number}")
            seeds.urls.append(url)
            for option in words[1:]:
                name, _, value = option.partition("=")
                if name == "proxy" and value:
                    seeds.proxies[registrable_domain(url)] = value
                elif name == "js" and value.lower() in _YES | _NO:
                    if value.lower() in _YES:
                        seeds.js.add(registrable_domain(url))
                else:
                    raise InputError(path, f"line {number}: unknown seed option {option!r}")
    if not seeds.urls:
        raise InputError(Path(arguments[0] if arguments else "-"), "no seed URL")
    seeds.urls = list(dict.fromkeys(seeds.urls))
    return seeds
