"""Fault-injection tests: the services as real processes while a dependency fails."""
