"""What is on the page: the typed components (``widgets``), how they are laid out, the theme."""
