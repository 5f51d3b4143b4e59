"""Money is stored as whole fen (分) in integer columns and shown as yuan.

Why integers: SQLite computes ``Sum()`` over a DecimalField in floating point, so
sums over many rows drift by fractions of a fen. Integer sums are exact on SQLite and
PostgreSQL alike, and conversion to ``Decimal`` happens only at the edges.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

FEN_PER_YUAN = 100


def yuan_to_fen(amount: Decimal | int | str) -> int:
    """Exact conversion; refuses fractions of a fen instead of rounding them away."""
    try:
        value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    except InvalidOperation as exc:
        raise ValueError(f"Not an amount of money: {amount!r}") from exc
    if isinstance(amount, float):  # pragma: no cover - guarded by Decimal(str()) above
        raise TypeError("Money is never a float")
    fen = value * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} has fractions of a fen")
    return int(fen)


def fen_to_yuan(fen: int | None) -> Decimal:
    """``12345`` → ``Decimal("123.45")``: exact (the point moved by two places, no division)."""
    return Decimal(int(fen or 0)).scaleb(-2)


def format_yuan(fen: int | None) -> str:
    """``12345`` → ``"123.45"``; templates add the ¥ sign or the word 元 as fits the page."""
    return f"{fen_to_yuan(fen):,.2f}"
