"""Text: repair layout damage (with a shift map back to the raw text) and segment articles and sentences."""
