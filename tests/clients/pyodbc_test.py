"""pyodbc through unixODBC to Eider: DDL, parameters, Unicode, errors with SQLSTATEs,
transactions (pyodbc's default is autocommit off), and PEP 249 rowcount."""
import sys

import pyodbc

conn = pyodbc.connect(sys.argv[1])
assert conn.autocommit is False
assert conn.getinfo(pyodbc.SQL_DBMS_NAME) == "Eider"
cur = conn.cursor()
cur.execute("create table people (id integer not null, name varchar(40), "
            "score double, active boolean, big bigint)")
assert cur.rowcount == -1, cur.rowcount
rows = [(1, "Zoë 😀", 9.5, True, 2**40), (2, "Łukasz", None, False, None), (3, None, -1.0, None, 7)]
for row in rows:
    cur.execute("insert into people values (?, ?, ?, ?, ?)", *row)
    assert cur.rowcount == 1
conn.commit()

got = [tuple(r) for r in cur.execute("select * from people where id >= ?", 1).fetchall()]
assert got == rows, got
desc = [(d[0], d[1]) for d in cur.description]
assert desc == [("id", int), ("name", str), ("score", float), ("active", bool), ("big", int)], desc
assert cur.rowcount == -1

try:
    cur.execute("select nosuch from people")
    raise AssertionError("no error")
except pyodbc.Error as e:
    assert e.args[0] == "42S22", e.args

try:
    cur.execute("insert into people values (?, ?, ?, ?, ?)", 4, "x" * 41, 0.0, True, 0)
    raise AssertionError("no error")
except pyodbc.Error as e:
    assert e.args[0] == "22001", e.args
conn.rollback()

cur.execute("insert into people (id, name) values (?, ?)", 5, "rolled back")
conn.rollback()
assert cur.execute("select count_me from people" if False else "select id from people where id = 5").fetchall() == []

other = pyodbc.connect(sys.argv[1], autocommit=True)
cur.execute("insert into people (id) values (6)")
assert other.cursor().execute("select id from people where id = 6").fetchall() == []
conn.commit()
assert [r[0] for r in other.cursor().execute("select id from people where id = 6")] == [6]
other.close()
conn.close()
print("pyodbc: all checks passed")
