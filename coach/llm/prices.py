"""Cost estimates: a small price table per model, overridable by the caller.

Results carry an estimated cost so a notebook user sees what a run spent; it is an estimate
from list prices, never a bill.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Price:
    """List price in US dollars per one million input (prompt) and output (completion)
    tokens."""

    input_usd_per_mtok: float
    output_usd_per_mtok: float

    def __post_init__(self) -> None:
        if self.input_usd_per_mtok < 0 or self.output_usd_per_mtok < 0:
            raise ValueError(f"prices must be >= 0: {self}")


# Approximate public list prices around mid-2025 (standard tier, uncached input; DeepSeek at
# standard hours; Qwen at the international lowest input tier). They could not be checked
# against the vendors' pages from the machine this was written on, and prices change often
# and differ by region, tier, caching and batch discounts: treat estimate_cost() as a
# ballpark and pass `prices=` for anything that bills.
DEFAULT_PRICES: Mapping[str, Price] = MappingProxyType(
    {
        "gpt-4o": Price(2.50, 10.00),
        "gpt-4o-mini": Price(0.15, 0.60),
        "gpt-4.1": Price(2.00, 8.00),
        "gpt-4.1-mini": Price(0.40, 1.60),
        "gpt-4.1-nano": Price(0.10, 0.40),
        "o3": Price(2.00, 8.00),
        "o3-mini": Price(1.10, 4.40),
        "o4-mini": Price(1.10, 4.40),
        "gpt-3.5-turbo": Price(0.50, 1.50),
        "deepseek-chat": Price(0.27, 1.10),
        "deepseek-reasoner": Price(0.55, 2.19),
        "qwen-turbo": Price(0.05, 0.20),
        "qwen-plus": Price(0.40, 1.20),
        "qwen-max": Price(1.60, 6.40),
    }
)


def price_for(model: str, prices: Mapping[str, Price] | None = None) -> Price | None:
    """The price for ``model``: an exact (case-insensitive) name, else the longest table key
    that ``model`` starts with followed by ``-`` (dated snapshots and aliases such as
    ``gpt-4o-mini-2024-07-18`` or ``qwen-plus-latest``). ``prices`` override and extend
    :data:`DEFAULT_PRICES`. None for an unknown model."""
    table = {k.lower(): v for k, v in DEFAULT_PRICES.items()}
    if prices:
        table.update({k.strip().lower(): v for k, v in prices.items()})
    name = model.strip().lower()
    if name in table:
        return table[name]
    matches = [k for k in table if name.startswith(k + "-")]
    return table[max(matches, key=len)] if matches else None


def estimate_cost(
    model: str,
    prompt_tokens: int,
    completion_tokens: int,
    prices: Mapping[str, Price] | None = None,
) -> float | None:
    """Estimated cost in US dollars of one call, or None for a model with no known price.

    See :func:`price_for` for the lookup; ``prices`` override and extend the defaults.
    """
    if prompt_tokens < 0 or completion_tokens < 0:
        raise ValueError("token counts must be >= 0")
    price = price_for(model, prices)
    if price is None:
        return None
    return (
        prompt_tokens * price.input_usd_per_mtok + completion_tokens * price.output_usd_per_mtok
    ) / 1_000_000
