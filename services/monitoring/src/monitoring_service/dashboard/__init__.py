"""The ops dashboard: data gathering, sections, charts and the page."""
