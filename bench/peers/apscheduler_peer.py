"""APScheduler 3 (Debian's python3-apscheduler) as a benchmark peer.

  /usr/bin/python3 apscheduler_peer.py fire COUNT COMMAND
      COUNT jobs due every second (CronTrigger second='*'), each running COMMAND with
      /bin/bash -c and DUE_AT set to the slot it runs for (ISO 8601).
  /usr/bin/python3 apscheduler_peer.py idle COUNT HOUR
      COUNT jobs due once a day at HOUR (UTC), none due for hours; the jobs do nothing.

Prints "ready" once the scheduler has started; SIGTERM stops it.
"""
import os
import signal
import subprocess
import sys
import threading

import apscheduler.executors.pool as pool_module
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

due = threading.local()
original_run_job = pool_module.run_job


def run_job_one_slot_at_a_time(job, jobstore_alias, run_times, logger_name):
    """APScheduler's own run_job (misfire checks included), told which slot each call is for."""
    events = []
    for run_time in run_times:
        due.at = run_time
        events.extend(original_run_job(job, jobstore_alias, [run_time], logger_name))
    return events


pool_module.run_job = run_job_one_slot_at_a_time


def main():
    mode, count = sys.argv[1], int(sys.argv[2])
    # One worker per job, so no run waits for a free worker (the peer's best configuration);
    # a generous misfire grace, so late runs are run and measured rather than dropped.
    scheduler = BlockingScheduler(
        executors={"default": ThreadPoolExecutor(max_workers=max(10, count if mode == "fire" else 10))},
        job_defaults={"misfire_grace_time": 30, "coalesce": False, "max_instances": 3},
        timezone="UTC",
    )
    if mode == "fire":
        command = sys.argv[3]

        def fire():
            env = dict(os.environ, DUE_AT=due.at.isoformat())
            subprocess.run(["/bin/bash", "-c", command], env=env, check=False)

        for index in range(count):
            scheduler.add_job(fire, CronTrigger(second="*", timezone="UTC"), id=f"job-{index}")
    elif mode == "idle":
        hour = int(sys.argv[3])
        for index in range(count):
            scheduler.add_job(lambda: None, CronTrigger(hour=hour, minute=index % 60, timezone="UTC"), id=f"job-{index}")
    else:
        raise SystemExit(f"unknown mode {mode}")

    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    threading.Timer(0.2, lambda: print("ready", flush=True)).start()
    scheduler.start()


main()
