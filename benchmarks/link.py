"""Link at scale: generated listings with planted networks, linked; time and peak memory.

    .venv/bin/python benchmarks/link.py 100000 1000000

Per size: a fresh SQLite store is filled with bulk inserts (sellers on 20 marketplaces
and web shops, each with an own wallet, every marketplace listing with its platform's
support address - a hub - and a 30-word text), then 1 % of the accounts and shops are
planted in networks of 2-6 that share a wallet, a phone or a copied text. ``link`` (read
the store, MinHash the texts, join, write the networks) runs in a child process so its
peak RSS is its own. Ad captures have no HTML, so templates are not part of this run.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from netpatrol.store import Store
from netpatrol.store.schema import (
    CaptureRow,
    IdentifierMentionRow,
    IdentifierRow,
    ListingRow,
    SiteRow,
)

WORDS = [f"w{i}" for i in range(20_000)]
CHUNK = 50_000


def generate(url: str, listings: int, seed: int = 7) -> int:
    """Fill the store; returns the number of planted networks."""
    rng = random.Random(seed)
    store = Store.open(url)
    markets = [f"market{i}.com" for i in range(20)]
    shops = [f"shop{i}.net" for i in range(listings // 50)]
    sites = markets + shops
    sellers = listings // 10
    # Principals: sellers (0..sellers-1) then shops; 5 listings each on average.
    principals = sellers + len(shops)
    wallet = list(range(principals))  # each principal's wallet id
    phone: dict[int, int] = {}
    copied: dict[int, str] = {}
    planted = 0
    chosen = rng.sample(range(principals), principals // 100)
    while len(chosen) >= 2:
        size = min(rng.randint(2, 6), len(chosen))
        group, chosen = chosen[:size], chosen[size:]
        how = planted % 3
        for member in group:
            if how == 0:
                wallet[member] = group[0]
            elif how == 1:
                phone[member] = group[0]
            else:
                copied[member] = " ".join(rng.choices(WORDS, k=30))
        if how == 2:  # the same text, one word changed per member
            text = " ".join(rng.choices(WORDS, k=30))
            copied.update({m: text.replace(text.split()[3], f"x{m}", 1) for m in group})
        planted += 1
    with store.engine.begin() as connection:
        connection.execute(
            insert(SiteRow), [{"id": i + 1, "domain": d} for i, d in enumerate(sites)]
        )
        identifiers = [
            {"id": i + 1, "kind": "btc", "value": f"bc1qbench{i:09d}"} for i in range(principals)
        ]
        identifiers += [
            {"id": principals + 1 + i, "kind": "email", "value": f"support@{m}"}
            for i, m in enumerate(markets)
        ]
        identifiers += [
            {"id": principals + 30 + i, "kind": "phone", "value": f"+3361{i:07d}"}
            for i in range(principals)
        ]
        for start in range(0, len(identifiers), CHUNK):
            connection.execute(insert(IdentifierRow), identifiers[start : start + CHUNK])
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    for start in range(0, listings, CHUNK):
        captures, rows, mentions = [], [], []
        for i in range(start, min(start + CHUNK, listings)):
            principal = rng.randrange(principals)
            site = principal % 20 if principal < sellers else 20 + principal - sellers
            captures.append(
                {
                    "id": i + 1,
                    "key": f"{i:064d}",
                    "site_id": site + 1,
                    "url": f"https://{sites[site]}/ad/{i}",
                    "record_type": "ad",
                    "captured_at": stamp,
                    "payload_sha256": f"{i:064x}",
                    "payload_length": 100,
                    "evidence_file": "-",
                    "evidence_offset": 0,
                    "evidence_length": 0,
                    "stored_at": stamp,
                }
            )
            text = copied.get(principal) or " ".join(rng.choices(WORDS, k=30))
            rows.append(
                {
                    "id": i + 1,
                    "capture_id": i + 1,
                    "position": 0,
                    "title": "ad",
                    "text": text,
                    "seller": f"s{principal}" if principal < sellers else None,
                    "location": rng.choice(("DE", "FR", "NL", "CN")),
                }
            )
            mentions.append(
                {"identifier_id": wallet[principal] + 1, "listing_id": i + 1, "start": 0}
            )
            if principal < sellers:
                mentions.append(
                    {"identifier_id": principals + 1 + site, "listing_id": i + 1, "start": 1}
                )
            if principal in phone:
                mentions.append(
                    {
                        "identifier_id": principals + 30 + phone[principal],
                        "listing_id": i + 1,
                        "start": 2,
                    }
                )
        with store.engine.begin() as connection:
            connection.execute(insert(CaptureRow), captures)
            connection.execute(insert(ListingRow), rows)
            connection.execute(insert(IdentifierMentionRow), mentions)
    store.close()
    return planted


def link_child(url: str) -> None:
    """Run in a child process: link, save, print the figures."""
    from netpatrol.link.assemble import link_networks
    from netpatrol.store.networks import read_link_input, save_networks

    store = Store.open(url)
    started = time.perf_counter()
    data = read_link_input(store, Path(tempfile.gettempdir()))
    read = time.perf_counter()
    result = link_networks(data)
    joined = time.perf_counter()
    save_networks(store, result)
    saved = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  read {read - started:.1f} s, link {joined - read:.1f} s, save {saved - joined:.1f} s; "
        f"total {saved - started:.1f} s; peak RSS {peak:.0f} MB; "
        f"{len(result.networks)} networks, {len(result.hubs)} hubs",
        flush=True,
    )


def main(sizes: list[int]) -> None:
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            started = time.perf_counter()
            planted = generate(url, size)
            print(
                f"{size:,} listings, {planted} planted networks "
                f"(generated in {time.perf_counter() - started:.0f} s)",
                flush=True,
            )
            subprocess.run([sys.executable, __file__, "--child", url], check=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        link_child(sys.argv[2])
    else:
        main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000])
