"""Benchmarks: a data generator and a runner (see bench/README.md)."""
