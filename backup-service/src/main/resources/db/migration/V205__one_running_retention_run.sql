-- At most one retention run of a domain changes its files at a time: two replicas (or a user's apply and the run
-- after a backup) that both found the domain free cannot both start one; the second waits for the next tick.
CREATE UNIQUE INDEX retention_run_one_running ON retention_run (domain) WHERE state = 'RUNNING';
