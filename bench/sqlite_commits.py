"""The disk's durable commit rate for one inquiry-sized row: the reference for bench/inquiry-post.sh.

Each transaction inserts one row of about the size of a stored inquiry (its sealed answers, 6 KB of random bytes, so
nothing compresses) into a SQLite database in WAL mode with synchronous=FULL, as the app runs it (docs/performance.md),
and commits: each commit waits for the disk. Prints the commits per second over DURATION seconds (default 5).
Usage: python3 bench/sqlite_commits.py FOLDER [DURATION]: FOLDER on the same disk as the app's data folder.
"""
import os
import sqlite3
import sys
import time

folder = sys.argv[1]
duration = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
path = os.path.join(folder, "commits.db")
connection = sqlite3.connect(path, isolation_level=None)
connection.execute("PRAGMA journal_mode=WAL")
connection.execute("PRAGMA synchronous=FULL")
connection.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, received TEXT NOT NULL, answers BLOB NOT NULL)")
row = os.urandom(6 * 1024)
commits = 0
started = time.monotonic()
while time.monotonic() - started < duration:
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO rows (received, answers) VALUES (?, ?)", ("2026-12-07T12:00:00Z", row))
    connection.execute("COMMIT")
    commits += 1
elapsed = time.monotonic() - started
connection.close()
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(path + suffix):
        os.remove(path + suffix)
print(f"durable SQLite commits/s (one 6 KB row each, WAL, synchronous=FULL): {commits / elapsed:.0f}")
