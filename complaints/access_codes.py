"""The driver's access code: the secret that, with the tracking number, opens a complaint.

- 28 characters of Crockford's base32 (no I, L, O, U), drawn with ``secrets``: 140 bits of
  randomness, never derived from the complaint's id, its time or the driver's phone.
- Stored only as HMAC-SHA256 under a random per-complaint salt. A slow password hash is not
  needed: it protects guessable passwords, and nobody guesses 140 random bits; a fast HMAC keeps
  each look-up cheap under the rate limits' worst case.
- A look-up of an unknown number does the same work as one with a wrong code (a dummy salt and
  digest, the same comparison), so neither the answer nor its timing tells them apart.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 28
GROUP = 4
BITS = LENGTH * 5  # log2(32) bits per character
# Crockford's reading of the letters it leaves out, so that a code read out on the phone and
# typed as heard still matches.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
_NOT_CODE = re.compile(r"[^0-9A-Z]")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_salt() -> str:
    return secrets.token_hex(16)


def format_code(code: str) -> str:
    """ABCD-EFGH-…: seven groups of four, easier to read out and copy."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise_code(text: str) -> str:
    """What the driver typed, as the code it means: capitals, no dashes or spaces."""
    return _NOT_CODE.sub("", (text or "").upper().translate(_READ_AS))[: LENGTH * 2]


def code_digest(salt: str, code: str) -> str:
    return hmac.new(bytes.fromhex(salt), normalise_code(code).encode(), hashlib.sha256).hexdigest()


def code_matches(*, salt: str, digest: str, code: str) -> bool:
    return hmac.compare_digest(code_digest(salt, code), digest)


# Stand-ins for a complaint that does not exist (or whose code was removed), so that its
# look-up computes and compares one digest like any other. Random per process: nothing matches.
DUMMY_SALT = new_salt()
DUMMY_DIGEST = code_digest(new_salt(), new_code())
