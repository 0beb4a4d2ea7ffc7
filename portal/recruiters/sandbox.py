"""Staff-written email templates render in a Jinja sandbox with bounds on size and work.

The stock sandbox stops attribute tricks, not denial of service: nested `range(10000)` loops or
`"x" * 10**9` render for seconds into gigabytes. This sandbox adds, per render:

- a budget of loop iterations and calls (``MAX_STEPS``): every ``{% for %}`` is rewritten to
  count its iterations, every call and macro call counts too;
- a deadline (``MAX_SECONDS``), checked at each step, operator, filter and output chunk;
- a size bound (``MAX_OUTPUT`` characters) on the output, and checked before ``*``, ``**`` and
  ``%`` and after every concatenation, filter and call, so no value grows past it;
- only filters whose output is linear in their input, and no string methods that multiply
  (``replace``, ``format`` …); lists are immutable.

A template over the bounds raises ``TemplateLimitError`` with a sentence for its author.
"""

import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

MAX_SOURCE = 20_000  # characters of subject + body
MAX_OUTPUT = 100_000  # characters rendered (and of any value on the way)
MAX_STEPS = 10_000  # loop iterations and calls, in all
MAX_SECONDS = 0.5

# Filters whose result is at most about as large as their input (or bounded by an int argument).
SAFE_FILTERS = frozenset(
    {
        "abs",
        "capitalize",
        "count",
        "d",
        "default",
        "e",
        "escape",
        "filesizeformat",
        "first",
        "float",
        "int",
        "join",
        "last",
        "length",
        "list",
        "lower",
        "max",
        "min",
        "reverse",
        "round",
        "safe",
        "sort",
        "string",
        "striptags",
        "sum",
        "title",
        "trim",
        "truncate",
        "unique",
        "upper",
        "urlencode",
        "wordcount",
    }
)
# String methods whose result can be far larger than their input.
UNSAFE_METHODS = frozenset({"replace", "expandtabs", "format", "format_map", "center", "zfill"})


class TemplateLimitError(Exception):
    """A template does too much work or makes too much text; the message is for its author."""


@dataclass
class _Budget:
    deadline: float
    steps: int


_budget: ContextVar[_Budget | None] = ContextVar("email_template_budget", default=None)


def _step(n: int = 1) -> None:
    budget = _budget.get()
    if budget is None:
        return
    budget.steps -= n
    if budget.steps < 0:
        raise TemplateLimitError(
            f"The template repeats too much: loops and calls may run {MAX_STEPS:,} times "
            "in all. Shorten its loops."
        )
    if time.monotonic() > budget.deadline:
        raise TemplateLimitError(
            f"The template takes too long to render (over {MAX_SECONDS:g} s). Simplify it."
        )


def _size(value: Any) -> int:
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, list | tuple | dict | set | frozenset):
        return sum(_size(v) for v in value) + len(value)
    return 0


TOO_LONG = f"The template builds text longer than {MAX_OUTPUT:,} characters. Make it shorter."


def _check_size(value: Any) -> Any:
    if _size(value) > MAX_OUTPUT:
        raise TemplateLimitError(TOO_LONG)
    return value


def _bounded_loop(iterable: Iterable[Any]) -> Iterator[Any]:
    for item in iterable:
        _step()
        yield item


def _bounded_value(value: Any) -> Any:
    _step(0)  # the deadline
    return _check_size(value)


def _bounded_range(*args: int) -> range:
    values = range(*args)
    if len(values) > MAX_STEPS:
        raise TemplateLimitError(f"range() may give at most {MAX_STEPS:,} numbers in a template.")
    return values


class _Bounds(NodeTransformer):
    """Count every loop's iterations and check the size of every computed value."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        node = self.generic_visit(node)
        node.iter = _filter(node.iter, "_bounded_loop")
        return node

    def _wrap(self, node: nodes.Expr) -> nodes.Node:
        return _filter(self.generic_visit(node), "_bounded_value")

    visit_Concat = visit_Call = visit_Add = _wrap

    def visit_Filter(self, node: nodes.Filter) -> nodes.Node:
        if node.node is None:  # {% filter %} blocks: their output is counted as output
            return self.generic_visit(node)
        return self._wrap(node)


def _filter(node: nodes.Node, name: str) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """An immutable Jinja sandbox whose renders are bounded in steps, time and size."""

    intercepted_binops = frozenset({"*", "**", "%", "//"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        builtin = self.filters
        self.filters = {name: builtin[name] for name in SAFE_FILTERS}
        self.filters["_bounded_loop"] = _bounded_loop
        self.filters["_bounded_value"] = _bounded_value
        self.globals = {"range": _bounded_range}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _Bounds().visit(super()._parse(source, name, filename))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _step(0)
        if operator == "%" and isinstance(left, str):
            raise TemplateLimitError("Format text with variables, not with the % operator.")
        if operator == "**" and any(
            isinstance(v, int | float) and abs(v) > limit
            for v, limit in ((right, 64), (left, 10**100))
        ):
            raise TemplateLimitError("Powers in a template are limited to small numbers.")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(times, int)
                if sized and _size(seq) * max(times, 0) > MAX_OUTPUT:
                    raise TemplateLimitError(TOO_LONG)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _step()
        if getattr(__obj, "__name__", "") in UNSAFE_METHODS and isinstance(
            getattr(__obj, "__self__", None), str
        ):
            raise TemplateLimitError(f"The text method {__obj.__name__}() is not available here.")
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and abs(value) > MAX_OUTPUT:
                raise TemplateLimitError(f"Numbers passed to a call may be at most {MAX_OUTPUT:,}.")
        return _check_size(super().call(__context, __obj, *args, **kwargs))


def render_bounded(environment: BoundedSandbox, source: str, context: dict[str, Any]) -> str:
    """Render `source` within the bounds, or raise TemplateLimitError (or a TemplateError)."""
    if len(source) > MAX_SOURCE:
        raise TemplateLimitError(f"A template may be at most {MAX_SOURCE:,} characters long.")
    token = _budget.set(_Budget(deadline=time.monotonic() + MAX_SECONDS, steps=MAX_STEPS))
    try:
        chunks, total = [], 0
        for chunk in environment.from_string(source).generate(context):
            total += len(chunk)
            if total > MAX_OUTPUT:
                raise TemplateLimitError(TOO_LONG)
            _step(0)
            chunks.append(chunk)
        return "".join(chunks)
    except RecursionError as exc:
        raise TemplateLimitError("The template calls itself too deeply. Simplify it.") from exc
    finally:
        _budget.reset(token)
