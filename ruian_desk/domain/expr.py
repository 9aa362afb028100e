"""The one evaluator of the rule expressions the format data states (`expr` in resources/formats/*.json).

Grammar (shared/format/spec.md §7; references `table.row.col`, `prev.` for last year's report):

    rule       := clause ("&&" clause)* ["for" NAME "in" PATTERN ["except" PATTERN]]
                                                                   x >= 0 for x in t2.* except *.change
    clause     := implication | comparison
    implication:= NAME "in" "[" STRING ("," STRING)* "]" "implies" clause
    comparison := sum ("==" | "!=" | "<=" | ">=" | "<" | ">") sum
    sum        := term (("+" | "-") term)*
    term       := REF | NUMBER | NAME | NAME "(" sum ("," sum)* ")"       is_int(…), round(…, 4)

A reference may hold `*` (every matching cell: the clause holds for each) and `{row}`/`{col}` placeholders,
bound by the rule's `forEach`; a `{row}` the data leaves unbound ranges over the rows of every section of the
referenced table that has all the columns the expression names (T2-19-XYEAR-ITEMS, T2-19-PUBLIC-LE-MADE).

`parse` gives a tree; `instances` the concrete expressions of a rule; `evaluate` computes a tree against an
`Env` (the report, last year's, and named values such as `level` or `text.review_total`). Both the checks
(`checks/data_rules.py`) and 以上年报告为基础新建 (`carry.py`) read the format's rules through this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fnmatch import fnmatchcase
from functools import cache
from typing import NamedTuple

from ruian_desk.domain.formats import FormatDef, RuleDef
from ruian_desk.domain.report import CellValues, Number, Report

# ------------------------------------------------------------------------------------------ the tree
# The nodes are named tuples: immutable and hashable as frozen dataclasses are, at a tenth of their cost to
# define (this module is imported before the window's first paint). A node never equals one of another kind:
# their fields differ in number or in type.


class Ref(NamedTuple):
    """A cell reference; `path` may hold `*` and placeholders. `prev`: in last year's report."""

    path: str
    prev: bool = False

    @property
    def pattern(self) -> bool:
        return "*" in self.path


class Num(NamedTuple):
    value: Decimal


class Name(NamedTuple):
    name: str  # a bound variable (x) or a named value (level, text.review_total)


class Call(NamedTuple):
    fn: str
    args: tuple[Node, ...]


class Sum(NamedTuple):
    terms: tuple[tuple[int, Node], ...]  # (+1 | -1, term)


class Compare(NamedTuple):
    op: str
    left: Node
    right: Node


class All(NamedTuple):
    parts: tuple[Node, ...]


class Implies(NamedTuple):
    name: str
    options: tuple[str, ...]
    then: Node


class ForAll(NamedTuple):
    body: Node
    var: str
    pattern: str
    exclude: str = ""


Node = Ref | Num | Name | Call | Sum | Compare | All | Implies | ForAll


class ExprError(ValueError):
    """An expression of the format data this grammar does not read (names the expression and the place)."""


# ------------------------------------------------------------------------------------------ parsing

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>'[^']*')|(?P<op>==|!=|<=|>=|&&|[<>+\-(),\[\]])"
    r"|(?P<word>[A-Za-z_*{][A-Za-z0-9_.*{}]*))"
)
KEYWORDS = ("for", "in", "except", "implies")


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ExprError(f"无法解析规则表达式“{text}”（第 {pos + 1} 个字符）")
        out.append(m.group(m.lastgroup or 0))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> str:
        return self.toks[self.i] if self.i < len(self.toks) else ""

    def take(self, want: str | None = None) -> str:
        tok = self.peek()
        if not tok or (want is not None and tok != want):
            raise ExprError(f"规则表达式“{self.text}”在“{tok or '结尾'}”处应为“{want or '更多内容'}”")
        self.i += 1
        return tok

    def rule(self) -> Node:
        parts = [self.clause()]
        while self.peek() == "&&":
            self.take()
            parts.append(self.clause())
        node: Node = parts[0] if len(parts) == 1 else All(tuple(parts))
        if self.peek() == "for":  # binds the whole conjunction: `is_int(x) && x >= 0 for x in t4.count.*`
            self.take()
            var = self.take()
            self.take("in")
            pattern = self.take()
            exclude = ""
            if self.peek() == "except":
                self.take()
                exclude = self.take()
            node = ForAll(node, var, pattern, exclude)
        if self.peek():
            raise ExprError(f"规则表达式“{self.text}”末尾多出“{self.peek()}”")
        return node

    def clause(self) -> Node:
        if self.toks[self.i + 1 : self.i + 3] == ["in", "["] and self.peek() not in KEYWORDS:
            name = self.take()
            self.take("in")
            self.take("[")
            options = [self.take().strip("'")]
            while self.peek() == ",":
                self.take()
                options.append(self.take().strip("'"))
            self.take("]")
            self.take("implies")
            return Implies(name, tuple(options), self.clause())
        return self.comparison()

    def comparison(self) -> Node:
        left = self.sum()
        if self.peek() in ("==", "!=", "<=", ">=", "<", ">"):
            op = self.take()
            return Compare(op, left, self.sum())
        return left

    def sum(self) -> Node:
        terms = [(1, self.term())]
        while self.peek() in ("+", "-"):
            sign = 1 if self.take() == "+" else -1
            terms.append((sign, self.term()))
        return terms[0][1] if len(terms) == 1 and terms[0][0] == 1 else Sum(tuple(terms))

    def term(self) -> Node:
        tok = self.take()
        if tok == "(":
            node = self.sum()
            self.take(")")
            return node
        if re.fullmatch(r"\d+(?:\.\d+)?", tok):
            return Num(Decimal(tok))
        if self.peek() == "(":
            self.take()
            args = [self.sum()]
            while self.peek() == ",":
                self.take()
                args.append(self.sum())
            self.take(")")
            return Call(tok, tuple(args))
        if tok.count(".") >= 2 or (tok.count(".") == 1 and "*" in tok):
            if tok.startswith("prev."):
                return Ref(tok[len("prev.") :], prev=True)
            return Ref(tok)
        return Name(tok)


@cache
def parse(text: str) -> Node:
    """The tree of one expression (placeholders left as they are). Raises ExprError."""
    return _Parser(text).rule()


# --------------------------------------------------------------------------------------- instances


def refs(node: Node) -> Iterator[Ref]:
    """Every cell reference of a tree, left to right."""
    if isinstance(node, Ref):
        yield node
    elif isinstance(node, Call):
        for a in node.args:
            yield from refs(a)
    elif isinstance(node, Sum):
        for _, t in node.terms:
            yield from refs(t)
    elif isinstance(node, Compare):
        yield from refs(node.left)
        yield from refs(node.right)
    elif isinstance(node, All):
        for p in node.parts:
            yield from refs(p)
    elif isinstance(node, Implies):
        yield from refs(node.then)
    elif isinstance(node, ForAll):
        yield from refs(node.body)


@dataclass(frozen=True)
class Instance:
    """One concrete expression of a rule (its placeholders bound)."""

    rule: RuleDef
    text: str

    @property
    def node(self) -> Node:
        return parse(self.text)


def instances(fmt: FormatDef, rule: RuleDef) -> list[Instance]:
    """The rule's expression for every binding of its placeholders (see the module docstring)."""
    if not rule.expr:
        return []
    out: list[Instance] = []
    for binding in rule.expansions():
        text = rule.expr
        for key, value in binding.items():
            text = text.replace("{" + key + "}", value)
        if "{row}" not in text:
            out.append(Instance(rule, text))
            continue
        paths = [r.path for r in refs(parse(text))]
        first = paths[0].split(".")
        cols = {p.split(".")[2] for p in paths if len(p.split(".")) == 3}
        try:
            table = fmt.section(first[0]).table
        except KeyError:
            continue
        for section in fmt.tables[table].sections:
            if not cols <= {c.id for c in section.columns}:
                continue
            moved = text.replace(f"{first[0]}.", f"{section.id}.")
            out.extend(Instance(rule, moved.replace("{row}", row.id)) for row in section.number_rows())
    return out


# --------------------------------------------------------------------------------------- evaluation


@dataclass
class Env:
    """What an expression is evaluated against: this year's format and figures (`values` None: a new draft,
    every figure of this year blank), last year's report, and named values (`level`, `text.review_total`).
    A reference to a cell its report's format does not have raises KeyError."""

    fmt: FormatDef
    values: CellValues | None = None
    previous: Report | None = None
    names: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, report: Report, previous: Report | None = None, **names: object) -> Env:
        return cls(report.fmt, report.values, previous, names)

    def format_of(self, prev: bool) -> FormatDef:
        if not prev:
            return self.fmt
        if self.previous is None:
            raise KeyError("prev")
        return self.previous.fmt

    def value(self, cell_id: str, prev: bool = False) -> Number | None:
        """The cell's figure as the rules read it (a total as stated where the source stated one, else
        computed from its parts), None when blank."""
        if cell_id not in self.format_of(prev).cells:
            raise KeyError(cell_id)
        if prev:
            assert self.previous is not None
            return self.previous.values.effective(cell_id)
        return self.values.effective(cell_id) if self.values is not None else None

    def matching(self, pattern: str, prev: bool = False) -> list[str]:
        """Cell ids a pattern names: `t2.*` every cell of table t2, else `*` per segment (a shorter pattern
        matches the ids' last segments: `*.change`)."""
        fmt = self.format_of(prev)
        parts = pattern.split(".")
        if len(parts) == 2 and parts[1] == "*" and parts[0] in fmt.tables:
            return [c for c, d in fmt.cells.items() if d.table == parts[0] and not d.derived]
        out = []
        for cid in fmt.cells:
            segs = cid.split(".")
            if len(segs) >= len(parts) and all(
                fnmatchcase(s, p) for s, p in zip(segs[-len(parts) :], parts, strict=True)
            ):
                if len(parts) == len(segs) or parts[0] == "*":
                    out.append(cid)
        return out


def _number(v: object) -> Number:
    if v is None:
        return 0
    if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
        raise ExprError(f"不是数值：{v!r}")
    return v


def _is_int(v: object) -> bool:
    return (
        v is None
        or (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, Decimal) and v == v.to_integral_value())
    )


def _round(v: object, places: object = 0) -> Number:
    n = _number(v)
    q = Decimal(1).scaleb(-int(_number(places)))
    return Decimal(n).quantize(q) if isinstance(n, Decimal) else n


FUNCTIONS: dict[str, Callable[..., object]] = {"is_int": _is_int, "round": _round}
_OPS: dict[str, Callable[[Number, Number], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
}


class _Many(tuple):  # type: ignore[type-arg]
    """The values of a pattern reference: a clause over them holds when it holds for each."""


def evaluate(node: Node, env: Env, bound: Mapping[str, object] | None = None) -> object:
    """The value of a tree: a number (or None for a blank cell) for terms and sums, a bool for clauses."""
    bound = bound or {}
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        if node.pattern:
            return _Many(env.value(c, node.prev) for c in env.matching(node.path, node.prev))
        return env.value(node.path, node.prev)
    if isinstance(node, Name):
        if node.name in bound:
            return bound[node.name]
        if node.name not in env.names:
            raise KeyError(node.name)
        return env.names[node.name]
    if isinstance(node, Call):
        fn = FUNCTIONS.get(node.fn)
        if fn is None:
            raise ExprError(f"未知的函数：{node.fn}")
        args = [evaluate(a, env, bound) for a in node.args]
        if args and isinstance(args[0], _Many):
            return all(fn(v, *args[1:]) for v in args[0])
        return fn(*args)
    if isinstance(node, Sum):
        total: Number = 0
        for sign, term in node.terms:
            v = evaluate(term, env, bound)
            total += sign * _number(v)
        return total
    if isinstance(node, Compare):
        left, right = evaluate(node.left, env, bound), evaluate(node.right, env, bound)
        op = _OPS[node.op]
        lefts = left if isinstance(left, _Many) else (left,)
        rights = right if isinstance(right, _Many) else (right,)
        return all(op(_number(a), _number(b)) for a in lefts for b in rights)
    if isinstance(node, All):
        return all(evaluate(p, env, bound) for p in node.parts)
    if isinstance(node, Implies):
        value = bound.get(node.name, env.names.get(node.name))
        return value not in node.options or bool(evaluate(node.then, env, bound))
    if isinstance(node, ForAll):
        excluded = set(env.matching(node.exclude)) if node.exclude else set()
        return all(
            evaluate(node.body, env, {**bound, node.var: env.value(c, False)})
            for c in env.matching(node.pattern)
            if c not in excluded
        )
    raise ExprError(f"无法计算：{node!r}")
