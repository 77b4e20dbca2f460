#!/usr/bin/python3
"""A writer for the Patroni end-to-end suite: inserts one row every 20 ms into whichever member leads
(libpq's target_session_attrs=read-write over every member), reconnecting when the leader goes away, until
SIGTERM. Each row it was told was committed goes to ACKED (one id per line, flushed); at exit it prints
JSON: rows acked, inserts failed, and the longest time between two acknowledged inserts (the gap the
switchover caused), with when it began.

    patroni-writer.py "host=127.0.0.1,127.0.0.1 port=P1,P2 user=postgres dbname=postgres" ACKED
"""
import json, signal, sys, time

import psycopg2

conninfo, acked_path = sys.argv[1], sys.argv[2]
stop = False


def on_term(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
# A test runner may start us with SIGTERM blocked (the mask is inherited): take it back.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
acked = open(acked_path, "w")
conn = None
next_id, failures, last_ok, gap, gap_at = 1, 0, None, 0.0, None
while not stop:
    try:
        if conn is None:
            conn = psycopg2.connect(conninfo + " target_session_attrs=read-write connect_timeout=2")
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("CREATE TABLE IF NOT EXISTS pitstop_writes (id bigint PRIMARY KEY, at timestamptz DEFAULT now())")
        with conn.cursor() as cur:
            cur.execute("INSERT INTO pitstop_writes (id) VALUES (%s) ON CONFLICT DO NOTHING", (next_id,))
        now = time.time()
        acked.write("%d\n" % next_id)
        acked.flush()
        if last_ok is not None and now - last_ok > gap:
            gap, gap_at = now - last_ok, last_ok
        last_ok = now
    except psycopg2.Error:
        failures += 1
        try:
            if conn is not None:
                conn.close()
        except psycopg2.Error:
            pass
        conn = None
    next_id += 1
    time.sleep(0.02)
print(json.dumps({"acked": sum(1 for _ in open(acked_path)), "failed": failures, "maxGapSeconds": round(gap, 3), "gapStartedAt": gap_at}))
