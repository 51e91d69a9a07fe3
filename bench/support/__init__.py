"""What the benchmarks share: results files, the load generator, the in-process profile."""
