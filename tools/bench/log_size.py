#!/usr/bin/python3
"""The log stays bounded under steady concurrent updates (issue 5; DuckDB's #9150 is the
opposite): THREADS connections update random rows of a 1,000-row hot set of a
100,000-row table, each update its own durable transaction (Synchronous=FULL), for
MINUTES; every 10 s the sizes of the log (NAME.wal, plus NAME.wal.old while a checkpoint
runs) and of the database file are printed.

    tools/bench/log_size.py DATABASE [MINUTES=10] [THREADS=8] [DRIVER=Eider]
"""
import os
import random
import sys
import threading
import time

import pyodbc

db = sys.argv[1]
minutes = float(sys.argv[2]) if len(sys.argv) > 2 else 10
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 8
driver = sys.argv[4] if len(sys.argv) > 4 else "Eider"
cs = "Driver={%s};Database=%s" % (driver, db)

setup = pyodbc.connect(cs, autocommit=True)
setup.execute("create table if not exists kv (id integer primary key, val bigint)")
if not setup.execute("select id from kv where id = 1").fetchall():
    cur = setup.cursor()
    cur.fast_executemany = True
    cur.executemany("insert into kv values (?, ?)", [(i, 0) for i in range(1, 100001)])
stop = time.time() + minutes * 60
commits = [0] * threads
conflicts = [0] * threads


def work(t):
    conn = pyodbc.connect(cs, autocommit=False)
    cur = conn.cursor()
    while time.time() < stop:
        try:
            cur.execute("update kv set val = val + 1 where id = ?", random.randint(1, 1000))
            conn.commit()
            commits[t] += 1
        except pyodbc.Error as e:
            conn.rollback()
            if e.args[0] != "40001":
                raise
            conflicts[t] += 1


workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
for w in workers:
    w.start()
start, peak = time.time(), 0
while any(w.is_alive() for w in workers):
    time.sleep(10)
    log = sum(os.path.getsize(p) for p in (db + ".wal", db + ".wal.old") if os.path.exists(p))
    peak = max(peak, log)
    print("t=%4.0f s  log %6.1f MiB  database %6.1f MiB  commits %d  conflicts %d"
          % (time.time() - start, log / 2**20, os.path.getsize(db) / 2**20, sum(commits),
             sum(conflicts)), flush=True)
elapsed = time.time() - start
print("largest log %.1f MiB; %d commits in %.0f s (%.0f/s); %d conflicts (40001, retried)"
      % (peak / 2**20, sum(commits), elapsed, sum(commits) / elapsed, sum(conflicts)))
