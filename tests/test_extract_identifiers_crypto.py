"""Crypto-currency wallets: published test vectors and well-known public addresses are
found; the same with one character changed is not (checksums); Keccak-256, base58 and
bech32(m) against their reference vectors."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netpatrol.extract.identifiers import FindContext, find_identifiers
from netpatrol.extract.identifiers.base58 import b58check, monero_b58decode
from netpatrol.extract.identifiers.bech32 import bech32_decode, segwit_program
from netpatrol.extract.identifiers.bitcoin import BitcoinFinder
from netpatrol.extract.identifiers.ethereum import EthereumFinder
from netpatrol.extract.identifiers.keccak import keccak256
from netpatrol.extract.identifiers.litecoin import LitecoinFinder
from netpatrol.extract.identifiers.monero import MoneroFinder

XMR_GENERAL_FUND = (
    "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3Xjrp"
    "DtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"
)
XMR_SUBADDRESS = (
    "888tNkZrPN6JsEgekjMnABU4TBzc2Dt29EPAvkRxbANsAnjyPbb3"
    "iQ1YBRk1UXcdRsiKc9dhwMVgN5S9cQUiyoogDavup3H"
)
XMR_INTEGRATED = (
    "4BUqMSeJfNQGudzEJNvzQ2LXh4tbUdW4YCM7mq55edxBT7t1297vwCMZSnJwGvEKEKbH8hGmhZZAGhdHbp2te6AA38ZMi4kn"
    "aCKLprMPni"
)

# (kind, address as written, normalised value)
VALID = [
    # Bitcoin: the genesis block's address, BIP-13 P2SH example, BIP-173/BIP-350 vectors.
    ("btc", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
    ("btc", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
    (
        "btc",
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
    ),
    (
        "btc",
        "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
        "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
    ),
    (
        "btc",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
    ),
    # Litecoin: P2PKH "L", P2SH "M" (an exchange's published deposit address), bech32.
    ("ltc", "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9", "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9"),
    ("ltc", "MGxNPPB7eBoWPUaprtX9v9CXJZoD2465zN", "MGxNPPB7eBoWPUaprtX9v9CXJZoD2465zN"),
    (
        "ltc",
        "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9",
        "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9",
    ),
    # Ethereum: EIP-55's vectors (all caps, all lower, mixed case).
    (
        "eth",
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x52908400098527886e0f7030069857d2e4169ee7",
    ),
    (
        "eth",
        "0xde709f2102306220921060314715629080e2fb77",
        "0xde709f2102306220921060314715629080e2fb77",
    ),
    (
        "eth",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
    ),
    (
        "eth",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359",
    ),
    (
        "eth",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xdbf03b407c01e7cd3cbea99509d93f8dddc8c6fb",
    ),
    (
        "eth",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb",
    ),
    # Monero: the General Fund's address, a subaddress and an integrated address.
    ("xmr", XMR_GENERAL_FUND, XMR_GENERAL_FUND),
    ("xmr", XMR_SUBADDRESS, XMR_SUBADDRESS),
    ("xmr", XMR_INTEGRATED, XMR_INTEGRATED),
]

# One character changed (substituted, or for EIP-55 one letter's case flipped).
ONE_CHANGED = [
    ("btc", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"),
    ("btc", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DjvfNa"),
    ("btc", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz"),
    ("btc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"),
    ("btc", "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv4"),
    ("btc", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj2"),
    ("ltc", "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH8"),
    ("ltc", "MGxNPPB7eBoWPUaprtX9v9CXJZoD2465zM"),
    ("ltc", "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n8"),
    ("eth", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"),
    ("eth", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d358"),
    ("eth", "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6Fb"),
    ("xmr", XMR_GENERAL_FUND[:-1] + "B"),
    ("xmr", XMR_SUBADDRESS[:40] + "z" + XMR_SUBADDRESS[41:]),
    ("xmr", XMR_INTEGRATED[:-1] + "j"),
]

# BIP-350's invalid segwit addresses for the main network (reason in the comment).
BIP350_INVALID = [
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",  # bech32 for v1
    "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",  # bech32 for v16
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",  # bech32m for v0
    "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",  # 'o' in checksum
    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",  # witness version 17
    "bc1pw5dgrnzv",  # 1-byte program
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",  # 16-byte program for v0
    "bc1gmk9yu",  # empty data
]


def found(text: str) -> set[tuple[str, str]]:
    return {(m.identifier.kind, m.identifier.value) for m in find_identifiers(text)}


@pytest.mark.parametrize(("kind", "address", "value"), VALID)
def test_wallets_are_found_in_text(kind: str, address: str, value: str) -> None:
    text = f"Payment to: {address}. Thank you"
    assert (kind, value) in found(text)
    (mention,) = [m for m in find_identifiers(text) if m.identifier.kind == kind]
    assert mention.raw == address == text[mention.start : mention.end]


@pytest.mark.parametrize(("kind", "address"), ONE_CHANGED)
def test_one_changed_character_is_not_a_wallet(kind: str, address: str) -> None:
    assert found(f"Payment to: {address}") == set()


@pytest.mark.parametrize("address", BIP350_INVALID)
def test_bip350_invalid_addresses_are_not_wallets(address: str) -> None:
    assert not BitcoinFinder.validate(address.lower())
    assert found(address) == set()


def test_segwit_versions_without_a_standard_output_are_left_out() -> None:
    # Valid BIP-350 encodings (v1 with 40 bytes, v2, v16) that nobody can be paid to yet.
    for address in (
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
        "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
        "BC1SW50QGDZ25J",
    ):
        assert segwit_program(address, "bc") is not None
        assert found(address) == set()


def test_testnet_and_glued_addresses_are_left_out() -> None:
    assert found("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7") == set()
    assert found("x1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa") == set()
    assert found("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa_old") == set()
    assert found("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00") == set()


def test_an_ambiguous_p2sh_address_is_bitcoin_only() -> None:
    # Version 0x05 "3..." addresses were Litecoin's P2SH too: reported once, as btc.
    assert found("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy") == {
        ("btc", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")
    }
    assert not LitecoinFinder.validate("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")


def test_ethereum_zero_address_and_checksum() -> None:
    assert found("0x" + "0" * 40) == set()
    assert EthereumFinder.validate("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
    assert not EthereumFinder.validate("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")
    assert not EthereumFinder.validate("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae")


def test_monero_network_bytes_must_match_the_length() -> None:
    raw = monero_b58decode(XMR_GENERAL_FUND)
    assert raw is not None and (raw[0], len(raw)) == (18, 69)
    assert MoneroFinder.validate(XMR_INTEGRATED)
    assert not MoneroFinder.validate(XMR_GENERAL_FUND[:94])


def test_keccak256_vectors() -> None:
    assert keccak256(b"").hex() == (
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    )
    assert keccak256(b"abc").hex() == (
        "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    )
    assert keccak256(b"The quick brown fox jumps over the lazy dog").hex() == (
        "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"
    )
    # Not FIPS SHA3-256, whose padding differs.
    assert keccak256(b"") != hashlib.sha3_256(b"").digest()


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300))
def test_keccak256_block_boundaries_are_consistent(data: bytes) -> None:
    # Absorbing across 136-byte blocks: the digest depends on every byte.
    digest = keccak256(data)
    assert len(digest) == 32
    assert keccak256(data + b"\x00") != digest


def test_base58check_and_bech32() -> None:
    payload = b58check("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    assert payload is not None and payload.hex() == "0062e907b15cbf27d5425399ebf6f0fb50ebb88f18"
    assert b58check("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0") is None  # '0' is not base58
    # BIP-350 valid bech32m strings and a bech32 one.
    assert bech32_decode("A1LQFN3A") is not None
    assert bech32_decode("abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx") is not None
    assert bech32_decode("M1VUXWEZ") is None  # checksum of the upper-case HRP
    assert bech32_decode("A1LQfN3A") is None  # mixed case


WALLETS = st.sampled_from([value for _, _, value in VALID])
SEPARATORS = st.text(alphabet=" \n\t:;,.()[]<>\"'/=?-!", max_size=5)


@settings(max_examples=60, deadline=None)
@given(st.tuples(SEPARATORS, WALLETS, SEPARATORS))
def test_a_wallet_between_punctuation_is_found(parts: tuple[str, str, str]) -> None:
    before, wallet, after = parts
    text = before + wallet + after
    values = {m.identifier.value for m in find_identifiers(text, FindContext())}
    assert wallet in values
