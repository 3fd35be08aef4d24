"""The operator PIN: stored only as a salted scrypt hash in the settings."""

from __future__ import annotations

import hashlib
import hmac
import os

from desktop_app.core.settings_model import OperatorPin, Settings

# scrypt cost: ~50 ms here; slow enough to resist guessing a short PIN from a copied settings file.
N, R, P = 2**14, 8, 1


def hash_pin(pin: str, salt: bytes | None = None) -> OperatorPin:
    """The settings value for `pin`: salt and scrypt digest, hex-encoded, with the cost parameters."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
    return OperatorPin(scheme="scrypt", n=N, r=R, p=P, salt=salt.hex(), hash=digest.hex())


def verify_pin(pin: str, stored: OperatorPin | None) -> bool:
    """True when `pin` matches the stored hash (constant-time comparison)."""
    if stored is None or stored.scheme != "scrypt":
        return False
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=bytes.fromhex(stored.salt), n=stored.n, r=stored.r,
                            p=stored.p, dklen=32)
    return hmac.compare_digest(digest.hex(), stored.hash)


def check_new_pin(pin: str, again: str) -> str | None:
    """Why a new PIN is not acceptable, or None."""
    if len(pin) < 4 or not pin.isdigit():
        return "The PIN must be at least 4 digits."
    if pin != again:
        return "The two PINs differ."
    return None


def has_pin(settings: Settings) -> bool:
    """Whether an operator PIN has been set."""
    return settings.operator_pin is not None
