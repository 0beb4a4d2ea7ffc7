"""Money as people read it: integer cents and a currency code to "$1,234.56" (pure)."""

SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£"}


def format_cents(cents: int | None, currency: str = "usd") -> str:
    """``2500 -> "$25.00"``, ``-300 -> "-$3.00"``, ``(990, "chf") -> "9.90 CHF"``, None -> "—"."""
    if cents is None:
        return "—"
    symbol = SYMBOLS.get(currency.lower(), "")
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    text = f"{sign}{symbol}{whole:,}.{part:02d}"
    return text if symbol else f"{text} {currency.upper()}"
