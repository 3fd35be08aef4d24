"""Tests of the engine adapters with the real embedded models."""
