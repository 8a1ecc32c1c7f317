"""Serials: Crockford Base 32 with a mod-37 check symbol that catches every single typo and adjacent swap."""
from __future__ import annotations

import random
import re

import pytest

from trainer.certificates import serial as serials
from trainer.certificates.serial import ALPHABET, CHECK_ALPHABET, LENGTH, check_symbol, display, new_serial, normalise

# A fixed sample, so a failure names a serial that can be reproduced.
SAMPLE = [new_serial() for _ in range(3)] + [
    symbols + check_symbol(symbols)
    for symbols in ("0000000000", "ZZZZZZZZZZ", *("".join(random.Random(seed).choices(ALPHABET, k=LENGTH))
                                                  for seed in range(40)))
]


def test_new_serial_is_ten_random_symbols_and_a_check():
    serial = new_serial()
    assert re.fullmatch(f"[{ALPHABET}]{{10}}[{re.escape(CHECK_ALPHABET)}]", serial)
    assert normalise(serial) == serial
    assert len({new_serial() for _ in range(2000)}) == 2000


def test_new_serial_draws_from_secrets(monkeypatch):
    drawn = []

    def choice(seq):
        drawn.append(seq)
        return seq[0]

    monkeypatch.setattr(serials.secrets, "choice", choice)
    assert new_serial() == "0000000000" + "0"
    assert len(drawn) == LENGTH


@pytest.mark.parametrize(("symbols", "check"), [
    ("0000000000", "0"), ("0000000001", "1"), ("000000000Z", "Z"),
    ("0000000010", "*"), ("0000000011", "~"), ("0000000012", "$"), ("0000000013", "="), ("0000000014", "U"),
    ("0000000015", "0"),  # 37 wraps around
])
def test_check_symbol_is_the_value_modulo_37(symbols, check):
    assert check_symbol(symbols) == check


def test_check_symbol_refuses_non_base32():
    with pytest.raises(ValueError):
        check_symbol("U000000000")


def test_display_groups_in_fours_with_the_check_apart():
    serial = "K7QM4X2P9D" + check_symbol("K7QM4X2P9D")
    assert display(serial) == f"K7QM-4X2P-9D-{serial[-1]}"
    assert normalise(display(serial)) == serial
    wrong = CHECK_ALPHABET[(CHECK_ALPHABET.index(serial[-1]) + 1) % 37]
    with pytest.raises(ValueError):
        display("K7QM4X2P9D" + wrong)


@pytest.mark.parametrize("serial", SAMPLE[:5])
def test_normalise_forgives_case_spaces_hyphens_and_look_alikes(serial):
    assert normalise(display(serial).lower()) == serial
    assert normalise(" " + " ".join(serial) + " ") == serial
    assert normalise(serial.replace("0", "O").replace("1", "I")) == serial
    assert normalise(serial.replace("1", "l").replace("0", "o")) == serial


@pytest.mark.parametrize("text", [
    "", "K7QM4X2P9D", "K7QM4X2P9DZZ", "K7QM4X2P9D!", "U7QM4X2P9D0", "K7QM-4X2P-9D-*-", "Ж7QM4X2P9D0", "K7QM_4X2P9D0",
    None, 12345678901, b"K7QM4X2P9D0",
])
def test_normalise_rejects_what_is_not_a_serial(text):
    assert normalise(text) is None


@pytest.mark.parametrize("serial", SAMPLE)
def test_every_single_symbol_substitution_is_caught(serial):
    for position in range(len(serial)):
        alphabet = CHECK_ALPHABET if position == LENGTH else ALPHABET
        for symbol in alphabet:
            if symbol != serial[position]:
                typo = serial[:position] + symbol + serial[position + 1:]
                assert normalise(typo) is None, typo


@pytest.mark.parametrize("serial", SAMPLE)
def test_every_adjacent_transposition_is_caught(serial):
    for position in range(len(serial) - 1):  # includes swapping the last symbol with the check symbol
        a, b = serial[position], serial[position + 1]
        if a != b:
            swapped = serial[:position] + b + a + serial[position + 2:]
            assert normalise(swapped) is None, swapped
