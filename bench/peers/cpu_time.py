"""The CPU time (user + system, of the process and its threads) of commands, run in turn.

  /usr/bin/python3 cpu_time.py ROUNDS '[["node", "-e", "0"], ...]'

Prints a JSON array: for each command, its CPU milliseconds per round (the first round, which
warms the file cache, is left out). Node cannot read a child's resource usage; wait4 can, to
the microsecond, and CPU time is what a busy machine disturbs least (wall time waits its turn).
"""
import json
import os
import sys

rounds = int(sys.argv[1])
commands = json.loads(sys.argv[2])
times = [[] for _ in commands]
devnull = os.open(os.devnull, os.O_WRONLY)
for round_index in range(rounds):
    for index, command in enumerate(commands):
        pid = os.fork()
        if pid == 0:
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.execvp(command[0], command)
        _, status, usage = os.wait4(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{' '.join(command)} exited {os.waitstatus_to_exitcode(status)}")
        if round_index > 0:
            times[index].append((usage.ru_utime + usage.ru_stime) * 1000)
print(json.dumps(times))
