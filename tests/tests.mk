# tests/: the guest root, the runner and the suites.
