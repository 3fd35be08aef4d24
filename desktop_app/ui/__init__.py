"""The PySide6 desktop shell: widgets call named operations; workers report back through signals."""
