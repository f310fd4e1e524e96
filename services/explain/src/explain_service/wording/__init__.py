"""Features and their values in people's words, in English and French: labels, units, numbers."""
