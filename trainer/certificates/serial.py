"""Certificate serials: unguessable, easy to read aloud and to type, with a check symbol that catches typos.

Douglas Crockford's Base 32 (https://www.crockford.com/base32.html): the digits and letters without I, L, O and
U, read case-insensitively with O as 0 and I, L as 1. The check symbol is the serial's value modulo 37 in the
alphabet extended with ``*~$=U``. Because 37 is prime and larger than 32, every single-symbol substitution and
every transposition of two adjacent symbols changes the remainder, so both are always caught.

Serials are stored compact (``K7QM4X2P9DZ``: 10 random symbols then the check) and shown grouped
(``K7QM-4X2P-9D-Z``); ``normalise`` turns anything a person typed back into the compact form.
"""
from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"  # values 32..36 exist only as check symbols
LENGTH = 10  # random symbols: 50 bits, so guessing a valid serial is hopeless at any request rate
GROUP = 4

_VALUES = {char: value for value, char in enumerate(CHECK_ALPHABET)}
# Crockford's decoding aliases: the letters people write when they mean 0 and 1.
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def check_symbol(symbols: str) -> str:
    """The mod-37 check symbol of a string of Base 32 symbols (upper case, no hyphens)."""
    value = 0
    for char in symbols:
        digit = _VALUES.get(char)
        if digit is None or digit >= 32:
            raise ValueError(f"{char!r} is not a Crockford Base 32 symbol")
        value = value * 32 + digit
    return CHECK_ALPHABET[value % 37]


def new_serial() -> str:
    """A fresh random serial in compact form, check symbol included."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return symbols + check_symbol(symbols)


def normalise(text: object) -> str | None:
    """The compact serial for what a person typed, or None when it is not a serial or its check symbol is wrong.

    Case, spaces and hyphens do not matter; O reads as 0 and I, L as 1 (also in the check position, where U is a
    legitimate check symbol)."""
    if not isinstance(text, str):
        return None
    compact = "".join(text.split()).replace("-", "").upper().translate(_ALIASES)
    if len(compact) != LENGTH + 1:
        return None
    symbols, check = compact[:LENGTH], compact[LENGTH]
    if any(char not in ALPHABET for char in symbols) or check not in CHECK_ALPHABET:
        return None
    return compact if check_symbol(symbols) == check else None


def display(serial: str) -> str:
    """The grouped form for print and screen: groups of four, then the check symbol on its own."""
    compact = normalise(serial)
    if compact is None:
        raise ValueError(f"{serial!r} is not a valid certificate serial")
    symbols, check = compact[:LENGTH], compact[LENGTH]
    groups = [symbols[start:start + GROUP] for start in range(0, LENGTH, GROUP)]
    return "-".join([*groups, check])
