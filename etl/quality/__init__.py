"""Quality: Great Expectations validation of the tables and the consistency checks between figures."""
