from decimal import Decimal

import pytest

from tollservice.core.money import fen_to_yuan, format_yuan, yuan_to_fen


@pytest.mark.parametrize(
    ("yuan", "fen"),
    [(Decimal("200"), 20000), (Decimal("0.01"), 1), ("499.99", 49999), (500, 50000)],
)
def test_yuan_round_trips_through_fen_exactly(yuan, fen):
    assert yuan_to_fen(yuan) == fen
    assert fen_to_yuan(fen) == Decimal(str(yuan)).quantize(Decimal("0.01"))


def test_fractions_of_a_fen_are_refused_not_rounded():
    with pytest.raises(ValueError):
        yuan_to_fen(Decimal("200.005"))


def test_format_groups_thousands():
    assert format_yuan(1000765593704) == "10,007,655,937.04"
