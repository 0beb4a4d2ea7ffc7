"""The assessment engine: item kinds, importers, drawing, the timed session and scoring.

Everything here except ``views.py`` is pure Python (no Flask, no database), so it can be tested
and simulated on its own.
"""

from pathlib import Path

BANK_DIR = Path(__file__).parent / "bank"
BANK_ITEMS = BANK_DIR / "items.jsonl"
