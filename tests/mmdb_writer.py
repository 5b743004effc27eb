"""A minimal MaxMind DB writer (IPv4 tree, 24-bit records) for tests: no writer package
is installed offline, and the format is small enough to write here."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any


def _control(kind: int, size: int) -> bytes:
    assert size < 285
    small, extra = (size, b"") if size < 29 else (29, bytes([size - 29]))
    head = bytes([(kind << 5) | small]) if kind <= 7 else bytes([small, kind - 7])
    return head + extra


def _uint(kind: int, value: int) -> bytes:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big") if value else b""
    return _control(kind, len(raw)) + raw


def encode(value: Any, uint_kind: int = 6) -> bytes:
    if isinstance(value, str):
        raw = value.encode()
        return _control(2, len(raw)) + raw
    if isinstance(value, dict):
        return _control(7, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    if isinstance(value, list):
        return _control(11, len(value)) + b"".join(encode(v) for v in value)
    if isinstance(value, tuple):  # (kind, int): uint16 5, uint32 6, uint64 9
        return _uint(value[0], value[1])
    if isinstance(value, int):
        return _uint(uint_kind, value)
    raise TypeError(value)


def write_mmdb(
    path: Path, networks: dict[str, dict[str, Any]], database_type: str, epoch: int
) -> None:
    nodes: list[list[Any]] = [[None, None]]
    blobs: list[bytes] = []
    for cidr, record in networks.items():
        network = ipaddress.IPv4Network(cidr)
        bits = format(int(network.network_address), "032b")[: network.prefixlen]
        node = 0
        for depth, bit in enumerate(bits):
            side = int(bit)
            if depth == len(bits) - 1:
                nodes[node][side] = ("data", len(blobs))
            else:
                if not isinstance(nodes[node][side], int):
                    nodes.append([None, None])
                    nodes[node][side] = len(nodes) - 1
                node = nodes[node][side]
        blobs.append(encode(record))
    count = len(nodes)
    offsets, position = [], 0
    for blob in blobs:
        offsets.append(position)
        position += len(blob)

    def value(entry: Any) -> int:
        if entry is None:
            return count
        if isinstance(entry, tuple):
            return count + 16 + offsets[entry[1]]
        return int(entry)

    tree = b"".join(
        value(left).to_bytes(3, "big") + value(right).to_bytes(3, "big") for left, right in nodes
    )
    metadata = {
        "binary_format_major_version": (5, 2),
        "binary_format_minor_version": (5, 0),
        "build_epoch": (9, epoch),
        "database_type": database_type,
        "description": {"en": "netpatrol test database"},
        "ip_version": (5, 4),
        "languages": ["en"],
        "node_count": (6, count),
        "record_size": (5, 24),
    }
    path.write_bytes(
        tree + bytes(16) + b"".join(blobs) + b"\xab\xcd\xefMaxMind.com" + encode(metadata)
    )
