"""axe-core in the test browser: the vendored build, run under the pages' real CSP.

`page.evaluate` goes through the DevTools protocol, which the page's Content-Security-Policy
does not govern, so axe is injected without weakening the policy the pages are tested under.
"""

from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = frozenset({"serious", "critical"})
_SOURCE: list[str] = []


def axe_source() -> str:
    if not _SOURCE:
        _SOURCE.append(AXE_JS.read_text(encoding="utf-8"))
    return _SOURCE[0]


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Every axe violation on the page as it is now (all rules axe enables by default)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }"""
    )
    return list(result)


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def describe(url: str, violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{url}: {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {(node['summary'] or '').splitlines()[-1:]}")
    return "\n".join(lines)
