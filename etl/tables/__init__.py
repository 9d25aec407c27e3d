"""Tables: the Parquet schemas, writing parts atomically, and reading them back a chunk at a time."""
