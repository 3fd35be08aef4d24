"""Viva: offline AI-conducted interviews."""

__version__ = "0.1.0"
