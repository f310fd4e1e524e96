"""The advisors dashboard."""
