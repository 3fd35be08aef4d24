"""Errors whose message is one line a user can act on."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused operation. Printed as one line; the CLI exits with code 2."""

    def __init__(self, message: str, *, source: str | None = None, field: str | None = None,
                 plain: str | None = None):
        self.source = source
        self.field = field
        self.rule = message
        self.plain = plain  # the same problem as a sentence for a screen (core.wording), when there is one
        parts = [p for p in (source, field) if p]
        super().__init__(": ".join(parts + [message]))

    def with_source(self, source: str) -> UserError:
        """The same error, naming the file it came from."""
        if self.source:
            return self
        return UserError(self.rule, source=source, field=self.field, plain=self.plain)


class NotFound(UserError):
    """No object with that id or name."""


class InUse(UserError):
    """Deleting would orphan other objects."""
