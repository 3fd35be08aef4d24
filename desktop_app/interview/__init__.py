"""The interview runner: stage threads and queues, every session mode, events out through one callback."""
