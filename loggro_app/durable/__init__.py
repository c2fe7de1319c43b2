"""Durable work on DBOS Transact: everything that leaves the request runs here as workflows
whose steps are checkpointed, so a crash resumes from the last finished step.

- `engine.py`: configuration, the executor id of this process, launch and shutdown (only in
  the backend's lifespan: Reflex forks its workers from a process that imports the app);
- `upkeep.py`: heartbeat, recovery of dead executors' work, clean-up of old records, and the
  purchase reconciliation schedule;
- `issuing.py`: the issuing workflow of a sales document;
- `test_sets.py`: the DIAN test-set runner.
"""
