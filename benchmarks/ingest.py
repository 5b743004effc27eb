"""Ingest speed and memory against a bare warcio read of the same WARC, in one run.

    .venv/bin/python benchmarks/ingest.py [--records 20000] [--also 80000]

Generates a gzip WARC of N HTML response records, then times, each in a fresh child
process (so peak RSS is its own): (1) warcio iterating the file and reading every
payload, the floor; (2) ``netpatrol ingest`` into a new SQLite workspace. Prints
records/s, peak RSS and the ratio. ``--also M`` repeats with a larger file to show that
memory does not grow with file size.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WORDS = (
    "ivory",
    "pangolin",
    "scales",
    "rhino",
    "horn",
    "tablets",
    "shipping",
    "worldwide",
    "discreet",
    "price",
    "contact",
    "whatsapp",
    "telegram",
    "genuine",
    "original",
    "replica",
    "watch",
    "bag",
    "pills",
    "oxycodone",
    "tramadol",
    "specimen",
    "taxidermy",
    "butterfly",
    "frame",
    "bat",
    "skull",
    "orchid",
    "cactus",
    "parrot",
    "tortoise",
    "cites",
)

BARE = """
import sys, time, json, resource
from warcio.archiveiterator import ArchiveIterator
start = time.perf_counter(); n = 0
with open(sys.argv[1], 'rb') as f:
    for record in ArchiveIterator(f):
        if record.rec_type == 'response':
            record.content_stream().read(); n += 1
print(json.dumps({"records": n, "seconds": time.perf_counter() - start,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

NETPATROL = """
import sys, time, json, resource
from pathlib import Path
start = time.perf_counter()
from netpatrol.cli import main
import netpatrol.collect.ingest, netpatrol.collect.warc, netpatrol.store.sites
netpatrol.store.sites.site_of("https://example.org/")  # loads the public-suffix list
imports = time.perf_counter() - start
ws = sys.argv[2]
assert main(["init", ws]) == 0
start = time.perf_counter()
code = main(["--workspace", ws, "--set", "progress=false", "ingest", sys.argv[1]])
seconds = time.perf_counter() - start
print(json.dumps({"code": code, "seconds": seconds, "imports": imports,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def page(rng: random.Random, i: int) -> bytes:
    paragraphs = "".join(
        "<p>" + " ".join(rng.choices(WORDS, k=rng.randint(40, 160))) + "</p>"
        for _ in range(rng.randint(5, 40))
    )
    return (
        f"<!DOCTYPE html><html><head><title>Listing {i}</title></head><body>"
        f"<h1>Offer {i}</h1><span class='price'>{rng.randint(5, 5000)} EUR</span>"
        f"{paragraphs}</body></html>"
    ).encode()


def make_warc(path: Path, records: int) -> int:
    rng = random.Random(records)
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for i in range(records):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
            record = writer.create_warc_record(
                f"https://shop{i % 500}.example.net/item/{i}",
                "response",
                payload=io.BytesIO(page(rng, i)),
                http_headers=http,
            )
            writer.write_record(record)
    return path.stat().st_size


def child(code: str, *args: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def measure(records: int, workdir: Path) -> None:
    warc = workdir / f"bench-{records}.warc.gz"
    started = time.perf_counter()
    size = make_warc(warc, records)
    print(
        f"\n{records} HTML records, {size / 1e6:.1f} MB gzip WARC "
        f"(generated in {time.perf_counter() - started:.1f} s)"
    )
    bare = child(BARE, str(warc))
    ours = child(NETPATROL, str(warc), str(workdir / f"ws-{records}"))
    if ours["code"] != 0:
        raise SystemExit(f"netpatrol ingest failed with exit code {ours['code']}")
    bare_rate = records / bare["seconds"]
    our_rate = records / ours["seconds"]
    print(
        f"  bare warcio read   {bare['seconds']:7.2f} s  {bare_rate:9.0f} records/s  "
        f"peak RSS {bare['rss_mb']:6.1f} MB"
    )
    print(
        f"  netpatrol ingest   {ours['seconds']:7.2f} s  {our_rate:9.0f} records/s  "
        f"peak RSS {ours['rss_mb']:6.1f} MB  (+{ours['imports']:.2f} s one-off imports)"
    )
    print(
        f"  ratio              {our_rate / bare_rate:.2f} of bare warcio speed "
        f"(goal >= 0.50); RSS goal < 300 MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--also", type=int, default=0, help="a second, larger run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netpatrol-bench-") as tmp:
        measure(args.records, Path(tmp))
        if args.also:
            measure(args.also, Path(tmp))


if __name__ == "__main__":
    main()
