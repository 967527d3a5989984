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
assert {"INTEGER", "BIGINT", "DOUBLE", "VARCHAR", "BOOLEAN", "SMALLINT", "DECIMAL", "DATE",
        "TIME", "TIMESTAMP", "BLOB"} <= types, types
# Views are listed and described; every type round-trips its description.
cur.execute("create table typed (s smallint, n decimal(9,2), d date, ts timestamp, b blob)")
cur.execute("create view who_view as select oid, who from orders")
assert [r.table_name for r in cur.tables(tableType="VIEW")] == ["who_view"]
assert [(r.column_name, r.type_name) for r in cur.columns(table="who_view")] == [
    ("oid", "INTEGER"), ("who", "VARCHAR")]
cols = [(r.column_name, r.data_type, r.column_size, r.decimal_digits)
        for r in cur.columns(table="typed")]
assert cols == [("s", pyodbc.SQL_SMALLINT, 5, 0), ("n", pyodbc.SQL_DECIMAL, 9, 2),
                ("d", pyodbc.SQL_TYPE_DATE, 10, None), ("ts", pyodbc.SQL_TYPE_TIMESTAMP, 26, 6),
                ("b", pyodbc.SQL_VARBINARY, 65535, None)], cols
# Connection.timeout becomes SQL_ATTR_QUERY_TIMEOUT: a long query stops with HYT00.
cur.execute("create table nums (x integer)")
cur.execute("insert into nums values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)")
for _ in range(3):
    cur.execute("insert into nums select a.x * 10 + b.x + 10 from nums a, nums b where a.x < 10")
conn.timeout = 1  # applies to cursors made from now on
cur = conn.cursor()
try:
    cur.execute("select count(*) from nums a, nums b, nums c where a.x + b.x + c.x < 0")
    raise AssertionError("no timeout")
except pyodbc.Error as e:
    assert e.args[0] == "HYT00", e.args
conn.timeout = 0
conn.close()
print("pyodbc: all checks passed")
