"""A small safe rule language for recommendations, parsed by hand and never eval'd.

One rule per line (or separated by ';'); the first rule whose condition holds gives the label:

    overall >= 7 and min(dimensions) >= 5 -> hire
    dimension("System design") >= 6 and avg(dimensions) >= 6.5 -> hire
    else -> no_hire

Conditions use numbers, `overall`, `threshold` (the stage's pass threshold),
`dimension("Name")` (alias `dim`), `min/max/avg(dimensions)` or `min/max/avg(a, b, ...)`,
arithmetic (+ - * /), comparisons (>= > <= < == !=), `and`, `or`, `not` and parentheses.
`#` starts a comment. Labels must be the profile's recommendation words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_PREFIX = "recommendation_logic: "

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>[ \t\r]+)
  | (?P<comment>\#[^\n]*)
  | (?P<newline>[\n;])
  | (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<string>"[^"\n]*"|'[^'\n]*')
  | (?P<arrow>->|=>)
  | (?P<op>>=|<=|==|!=|>|<|=)
  | (?P<punct>[(),+\-*/])
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)

_KEYWORDS = {"and", "or", "not", "else", "true", "false"}
_AGGREGATES = {"min", "max", "avg", "mean"}
_NUMBER_VARS = {"overall", "threshold"}


@dataclass(frozen=True)
class Token:
    """One lexical token with its 1-based position in the whole text."""

    kind: str  # number | string | arrow | op | punct | ident | newline | end
    text: str
    pos: int


def _fail(pos: int, message: str) -> ValueError:
    return ValueError(f"{_PREFIX}position {pos}: {message}")


def tokenize(text: str) -> list[Token]:
    """Splits rule text into tokens; raises ValueError naming the position of a stray character."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        m = _TOKEN_RE.match(text, i)
        if m is None:
            raise _fail(i + 1, f"unexpected character {text[i]!r}")
        kind = m.lastgroup or ""
        if kind not in ("ws", "comment"):
            tokens.append(Token(kind, m.group(), i + 1))
        i = m.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# ------------------------------------------------------------------ syntax tree


@dataclass(frozen=True)
class Node:
    """An expression node: op is num | var | dim | agg | neg | bin | cmp | and | or | not | bool."""

    op: str
    pos: int
    value: Any = None
    args: tuple[Node, ...] = ()
    type: str = "number"  # number | bool


@dataclass(frozen=True)
class Rule:
    """`condition -> label`; condition None means `else`."""

    condition: Node | None
    label: str
    pos: int


class _Parser:
    """Recursive descent over the token list, checking types and names as it goes."""

    def __init__(self, text: str, dimension_names: Sequence[str], labels: Sequence[str], max_score: float | None):
        self.tokens = tokenize(text)
        self.i = 0
        self.dims = {d.casefold(): d for d in dimension_names}
        self.labels = list(labels)
        self.max_score = max_score

    # -------------------------------------------------------------- helpers

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def _advance(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def _is(self, kind: str, text: str | None = None) -> bool:
        tok = self.tok
        if tok.kind != kind:
            return False
        return text is None or tok.text.casefold() == text

    def _expect(self, kind: str, text: str, what: str) -> Token:
        if not self._is(kind, text):
            raise _fail(self.tok.pos, f"expected {what}, found {self._describe(self.tok)}")
        return self._advance()

    @staticmethod
    def _describe(tok: Token) -> str:
        return "the end of the line" if tok.kind in ("end", "newline") else repr(tok.text)

    # -------------------------------------------------------------- rules

    def parse(self) -> list[Rule]:
        rules: list[Rule] = []
        while True:
            while self._is("newline"):
                self._advance()
            if self._is("end"):
                break
            rule = self._rule()
            if rules and rules[-1].condition is None:
                raise _fail(rule.pos, "no rule can follow 'else', it always matches")
            rules.append(rule)
            if not (self._is("newline") or self._is("end")):
                raise _fail(self.tok.pos, f"expected the end of the rule, found {self._describe(self.tok)}")
        if not rules:
            raise ValueError(f"{_PREFIX}is empty; write rules like 'overall >= 7 -> {self._label_hint()}'")
        return rules

    def _label_hint(self) -> str:
        return self.labels[0] if self.labels else "label"

    def _rule(self) -> Rule:
        start = self.tok.pos
        condition: Node | None
        if self._is("ident", "else"):
            self._advance()
            condition = None
        else:
            condition = self._expr()
            if condition.type != "bool":
                raise _fail(condition.pos, "a rule needs a condition such as 'overall >= 7', not a bare number")
        self._expect("arrow", "->", "'->' and a label")
        label_tok = self.tok
        if label_tok.kind not in ("ident", "string"):
            raise _fail(label_tok.pos, f"expected a label ({', '.join(self.labels)}) after '->'")
        self._advance()
        label = label_tok.text.strip("\"'")
        if self.labels and label not in self.labels:
            raise _fail(label_tok.pos, f"unknown label {label!r}; use {' or '.join(self.labels)}")
        return Rule(condition, label, start)

    # -------------------------------------------------------------- expressions

    def _expr(self) -> Node:
        return self._or()

    def _bool_operand(self, node: Node, op: str) -> Node:
        if node.type != "bool":
            raise _fail(node.pos, f"'{op}' joins conditions such as 'overall >= 7', not numbers")
        return node

    def _or(self) -> Node:
        left = self._and()
        while self._is("ident", "or"):
            tok = self._advance()
            right = self._and()
            left = Node("or", tok.pos, args=(self._bool_operand(left, "or"), self._bool_operand(right, "or")), type="bool")
        return left

    def _and(self) -> Node:
        left = self._not()
        while self._is("ident", "and"):
            tok = self._advance()
            right = self._not()
            left = Node("and", tok.pos, args=(self._bool_operand(left, "and"), self._bool_operand(right, "and")), type="bool")
        return left

    def _not(self) -> Node:
        if self._is("ident", "not"):
            tok = self._advance()
            operand = self._not()
            return Node("not", tok.pos, args=(self._bool_operand(operand, "not"),), type="bool")
        return self._comparison()

    def _comparison(self) -> Node:
        left = self._sum()
        if not self._is("op"):
            return left
        tok = self._advance()
        op = "==" if tok.text == "=" else tok.text
        if left.type != "number":
            raise _fail(left.pos, f"'{op}' compares numbers, not conditions")
        if not self._starts_operand():
            raise _fail(self.tok.pos, f"expected a number after '{tok.text}'")
        right = self._sum()
        if right.type != "number":
            raise _fail(right.pos, f"'{op}' compares numbers, not conditions")
        if self._is("op"):
            raise _fail(self.tok.pos, "chained comparisons are not allowed; join them with 'and'")
        for side in (left, right):
            self._check_on_scale(side)
        return Node("cmp", tok.pos, value=op, args=(left, right), type="bool")

    def _check_on_scale(self, node: Node) -> None:
        if node.op == "num" and self.max_score is not None and node.value > self.max_score:
            raise _fail(node.pos, f"{node.value:g} is above the top of the scale ({self.max_score:g})")

    def _starts_operand(self) -> bool:
        tok = self.tok
        if tok.kind in ("number", "string"):
            return True
        if tok.kind == "punct" and tok.text in ("(", "-"):
            return True
        return tok.kind == "ident" and tok.text.casefold() not in _KEYWORDS - {"true", "false"}

    def _sum(self) -> Node:
        left = self._term()
        while self._is("punct", "+") or self._is("punct", "-"):
            tok = self._advance()
            if not self._starts_operand():
                raise _fail(self.tok.pos, f"expected a number after '{tok.text}'")
            right = self._term()
            left = Node("bin", tok.pos, value=tok.text, args=(self._num(left, tok.text), self._num(right, tok.text)))
        return left

    def _term(self) -> Node:
        left = self._unary()
        while self._is("punct", "*") or self._is("punct", "/"):
            tok = self._advance()
            if not self._starts_operand():
                raise _fail(self.tok.pos, f"expected a number after '{tok.text}'")
            right = self._unary()
            left = Node("bin", tok.pos, value=tok.text, args=(self._num(left, tok.text), self._num(right, tok.text)))
        return left

    def _num(self, node: Node, op: str) -> Node:
        if node.type != "number":
            raise _fail(node.pos, f"'{op}' works on numbers, not conditions")
        return node

    def _unary(self) -> Node:
        if self._is("punct", "-"):
            tok = self._advance()
            return Node("neg", tok.pos, args=(self._num(self._unary(), "-"),))
        return self._primary()

    def _primary(self) -> Node:
        tok = self.tok
        if tok.kind == "number":
            self._advance()
            return Node("num", tok.pos, value=float(tok.text))
        if tok.kind == "punct" and tok.text == "(":
            self._advance()
            inner = self._expr()
            self._expect("punct", ")", "')'")
            return inner
        if tok.kind == "string":
            raise _fail(tok.pos, f"write dimension({tok.text}) to use a dimension's score")
        if tok.kind == "ident":
            name = tok.text.casefold()
            if name in ("true", "false"):
                self._advance()
                return Node("bool", tok.pos, value=name == "true", type="bool")
            if name in _NUMBER_VARS:
                self._advance()
                return Node("var", tok.pos, value=name)
            if name in ("dimension", "dim"):
                return self._dimension()
            if name in _AGGREGATES:
                return self._aggregate()
            if name == "dimensions":
                raise _fail(tok.pos, "'dimensions' is a list; use min(dimensions), max(dimensions) or avg(dimensions)")
            if name in self.dims:  # a one-word dimension name may be used bare
                self._advance()
                return Node("dim", tok.pos, value=self.dims[name])
            if name in _KEYWORDS:
                raise _fail(tok.pos, f"expected a number, found {tok.text!r}")
            raise _fail(tok.pos, f"unknown name {tok.text!r}; use overall, threshold, dimension(\"Name\"), min, max or avg")
        raise _fail(tok.pos, f"expected a number, found {self._describe(tok)}")

    def _dimension(self) -> Node:
        tok = self._advance()
        self._expect("punct", "(", f"'(' after {tok.text}")
        name_tok = self.tok
        if name_tok.kind != "string":
            raise _fail(name_tok.pos, 'expected a quoted dimension name, e.g. dimension("Communication")')
        self._advance()
        name = name_tok.text[1:-1].strip()
        if name.casefold() not in self.dims:
            known = ", ".join(repr(d) for d in self.dims.values())
            raise _fail(name_tok.pos, f"unknown dimension {name!r}; the rubric has {known}")
        self._expect("punct", ")", "')'")
        return Node("dim", tok.pos, value=self.dims[name.casefold()])

    def _aggregate(self) -> Node:
        tok = self._advance()
        func = "avg" if tok.text.casefold() == "mean" else tok.text.casefold()
        self._expect("punct", "(", f"'(' after {tok.text}")
        if self._is("ident", "dimensions"):
            self._advance()
            self._expect("punct", ")", "')'")
            return Node("agg", tok.pos, value=func, args=())
        args = [self._num(self._sum(), func)]
        while self._is("punct", ","):
            self._advance()
            args.append(self._num(self._sum(), func))
        self._expect("punct", ")", "')'")
        return Node("agg", tok.pos, value=func, args=tuple(args))


def parse_logic(text: str, dimension_names: Sequence[str], labels: Sequence[str], max_score: float | None = None) -> list[Rule]:
    """Parses rule text into rules; raises ValueError('recommendation_logic: position N: ...')."""
    return _Parser(text, dimension_names, labels, max_score).parse()


def check_logic(text: str, dimension_names: Sequence[str], labels: Sequence[str], max_score: float | None) -> None:
    """Validates rule text against a rubric, its labels and scale; raises ValueError naming the position."""
    parse_logic(text, dimension_names, labels, max_score)


# ------------------------------------------------------------------ evaluation


def _value(node: Node, env: dict[str, Any]) -> Any:
    op = node.op
    if op == "num" or op == "bool":
        return node.value
    if op == "var":
        value = env[node.value]
        if value is None:
            raise ValueError(f"{_PREFIX}position {node.pos}: {node.value} is not known for this session")
        return float(value)
    if op == "dim":
        return float(env["dimensions"][node.value])
    if op == "neg":
        return -_value(node.args[0], env)
    if op == "bin":
        a, b = (_value(x, env) for x in node.args)
        if node.value == "+":
            return a + b
        if node.value == "-":
            return a - b
        if node.value == "*":
            return a * b
        return a / b if b else float("inf") if a > 0 else 0.0
    if op == "agg":
        values = [_value(x, env) for x in node.args] if node.args else list(env["dimensions"].values())
        if not values:
            return 0.0
        if node.value == "min":
            return min(values)
        if node.value == "max":
            return max(values)
        return sum(values) / len(values)
    if op == "cmp":
        a, b = (_value(x, env) for x in node.args)
        return {
            ">=": a >= b - 1e-9, ">": a > b + 1e-9, "<=": a <= b + 1e-9, "<": a < b - 1e-9,
            "==": abs(a - b) <= 1e-9, "!=": abs(a - b) > 1e-9,
        }[node.value]
    if op == "and":
        return _value(node.args[0], env) and _value(node.args[1], env)
    if op == "or":
        return _value(node.args[0], env) or _value(node.args[1], env)
    if op == "not":
        return not _value(node.args[0], env)
    raise AssertionError(op)


def evaluate_logic(text: str, overall: float, dimensions: dict[str, float], *, labels: Sequence[str] = (),
                   threshold: float | None = None) -> str | None:
    """The label of the first rule that holds, or None when none does (and there is no else)."""
    return first_label(parse_logic(text, list(dimensions), labels, None), overall, dimensions, threshold)


def first_label(rules: Sequence[Rule], overall: float, dimensions: dict[str, float],
                threshold: float | None) -> str | None:
    """The label of the first parsed rule that holds for these scores, or None."""
    env = {"overall": overall, "threshold": threshold, "dimensions": dict(dimensions)}
    return next((r.label for r in rules if r.condition is None or _value(r.condition, env)), None)
