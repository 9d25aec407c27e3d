"""The scheduled job: plan, engines, state and commit, run records, logs, configuration and publishing."""
