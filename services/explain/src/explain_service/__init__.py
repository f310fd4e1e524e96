"""The explanation service."""
