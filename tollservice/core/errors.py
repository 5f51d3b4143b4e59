"""The one domain error type. Services raise it; views turn it into a form error or a message."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A rule of the plan refused an operation.

    ``message`` is a translatable string (``gettext_lazy``) shown to the user as is;
    ``field`` names the form field it belongs to, when there is one.
    """

    def __init__(self, message, *, field: str | None = None, code: str | None = None, params=None):
        self.message = message
        self.field = field
        self.code = code
        self.params = params or {}
        super().__init__(str(message % self.params) if self.params else str(message))

    def __str__(self) -> str:
        return str(self.message % self.params) if self.params else str(self.message)

    def as_validation_error(self) -> ValidationError:
        error = ValidationError(self.message, code=self.code, params=self.params or None)
        return ValidationError({self.field: error}) if self.field else error

    def add_to_form(self, form) -> None:
        """Attach the error to ``form`` so the page re-renders with everything the user typed."""
        form.add_error(self.field if self.field in form.fields else None, str(self))
