"""Developer tooling over the services: demo data and the load test. Nothing in services imports it."""
