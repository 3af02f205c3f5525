"""The worker: arq jobs on Redis, and the projection runners."""
