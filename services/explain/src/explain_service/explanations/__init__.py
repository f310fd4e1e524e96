"""The explanation of one applicant: contributions, reasons in plain words, the waterfall."""
