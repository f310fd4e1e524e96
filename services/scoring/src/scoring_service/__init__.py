"""The scoring service: the champion model behind an audited, authenticated API."""
