"""The smallest change to the loan that turns a refusal into an approval: candidate loans,
the search over them and the sentence that describes the result."""
