"""Money as integers of the currency's minor unit (cents, 分).

Amounts are stored and added as ``int`` minor units. Multiplication by a factor (a grade factor,
a restocking-fee percentage, a share of tax) goes through ``Decimal`` and is rounded once, at the
end of each line, with ``ROUND_HALF_UP`` ("round half away from zero" for positive amounts): the
rule a cashier applies by hand. Floats never touch money.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MINOR_PER_MAJOR = 100
ROUNDING = ROUND_HALF_UP


def to_minor(amount: Decimal | int | str) -> int:
    """Convert a major-unit amount ("12.34", Decimal) to minor units, rounding half up.

    Raises ``ValueError`` for text that is not a number.
    """
    if isinstance(amount, float):
        raise TypeError("money must not be a float; pass a Decimal or a string")
    try:
        value = Decimal(str(amount).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(f"'{amount}' is not an amount of money") from exc
    if not value.is_finite():
        raise ValueError(f"'{amount}' is not an amount of money")
    return int((value * MINOR_PER_MAJOR).quantize(Decimal(1), rounding=ROUNDING))


def to_major(minor: int) -> Decimal:
    """Minor units to a ``Decimal`` with two places (1234 -> Decimal('12.34'))."""
    return (Decimal(minor) / MINOR_PER_MAJOR).quantize(Decimal("0.01"))


def scale(minor: int, factor: Decimal | int | str) -> int:
    """Multiply a minor-unit amount by a factor and round once, half up."""
    result = Decimal(minor) * (factor if isinstance(factor, Decimal) else Decimal(str(factor)))
    return int(result.quantize(_WHOLE, rounding=ROUNDING))


_WHOLE = Decimal(1)


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` so that the parts add up exactly.

    Largest-remainder method: every part is rounded down, and the cents left over go to the
    parts with the largest remainders (ties to the earliest). Used to share an order's shipping
    or a line's tax over units.
    """
    if not weights:
        return []
    wsum = sum(weights)
    if wsum == 0:
        parts = [0] * len(weights)
        parts[0] = total
        return parts
    raw = [total * w for w in weights]
    parts = [r // wsum for r in raw]
    remainders = [(r % wsum, -i) for i, r in enumerate(raw)]
    left = total - sum(parts)
    for _, neg_i in sorted(remainders, reverse=True)[:left]:
        parts[-neg_i] += 1
    return parts


def format_money(minor: int, currency: str = "CNY") -> str:
    """Human form, e.g. ``¥1,234.50`` or ``-¥3.00``."""
    symbol = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£"}.get(currency, currency + " ")
    sign = "-" if minor < 0 else ""
    major = to_major(abs(minor))
    return f"{sign}{symbol}{major:,.2f}"
