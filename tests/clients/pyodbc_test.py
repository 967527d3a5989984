"""pyodbc through unixODBC to Eider: DDL, parameters, Unicode, errors with SQLSTATEs,
transactions (pyodbc's default is autocommit off), PEP 249 rowcount, fast_executemany
(parameter arrays), and the catalog calls."""
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

# fast_executemany: one parameter array, one statement, all or nothing.
many = [(100 + i, "row %d" % i, i * 0.5, i % 2 == 0, i) for i in range(500)]
cur.fast_executemany = True
cur.executemany("insert into people values (?, ?, ?, ?, ?)", many)
conn.commit()
got = [tuple(r) for r in cur.execute("select * from people where id >= 100").fetchall()]
assert got == many, got[:3]
# In autocommit mode an array whose third row breaks the key leaves nothing behind.
auto = pyodbc.connect(sys.argv[1], autocommit=True)
acur = auto.cursor()
acur.execute("create table batch (id integer primary key)")
acur.fast_executemany = True
try:
    acur.executemany("insert into batch values (?)", [(1,), (2,), (1,)])
    raise AssertionError("no error")
except pyodbc.Error as e:
    assert e.args[0] == "23000", e.args
assert acur.execute("select id from batch").fetchall() == []
auto.close()
cur.fast_executemany = False

# The catalog, as BI tools and ORMs read it.
conn.autocommit = True
cur.execute("create table orders (oid integer primary key, who varchar(40) not null)")
tables = sorted(r.table_name for r in cur.tables(tableType="TABLE"))
assert tables == ["batch", "orders", "people"], tables
cols = [(r.column_name, r.type_name, r.nullable, r.ordinal_position) for r in cur.columns(table="orders")]
assert cols == [("oid", "INTEGER", 0, 1), ("who", "VARCHAR", 0, 2)], cols
assert [(r.column_name, r.key_seq) for r in cur.primaryKeys("orders")] == [("oid", 1)]
assert [r.column_name for r in cur.statistics("orders") if r.column_name] == ["oid"]
assert [r.column_name for r in cur.rowIdColumns("orders")] == ["oid"]
assert list(cur.foreignKeys(table="orders")) == []
types = {r.type_name for r in cur.getTypeInfo()}
assert {"INTEGER", "BIGINT", "DOUBLE", "VARCHAR", "BOOLEAN"} <= types, types
conn.close()
print("pyodbc: all checks passed")
