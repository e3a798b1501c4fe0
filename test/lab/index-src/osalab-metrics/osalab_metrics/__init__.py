"""Counters for the lab: a dependency a change adds that OSA's wheel repository does not have."""
import collections

COUNTERS = collections.Counter()


def incr(name, value=1):
    COUNTERS[name] += value
    return COUNTERS[name]
