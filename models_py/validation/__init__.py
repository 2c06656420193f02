"""Great Expectations suites per layer (expectations/*.yml) run on data frames: pure Python."""
