"""LibreOffice Base through unixODBC to Eider, driven headless with Python UNO.

Starts its own soffice (a private profile in the work folder, a pipe named after this
process), then does what a Base user does: the SDBC ODBC driver creates and fills two
tables (sdbc:odbc:DSN); a Base document (.odb) pointing at the DSN is saved and opened
again; its connection lists the tables (XTablesSupplier), reads a table's columns and
primary key, runs a query and a prepared query, calls every metadata getter, creates a
table as Base's designer does, and edits rows through a RowSet (as Base's table view
does, which needs the primary key). Every value is checked: DECIMAL,
DATE, TIMESTAMP, DOUBLE, NULLs and non-ASCII text.

usage: libreoffice_test.py DSN WORKDIR"""
import os
import signal
import subprocess
import sys
import time
import traceback

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.sdbc import SQLException

SOFFICE = "/usr/lib/libreoffice/program/soffice"
# com.sun.star.sdbc.DataType
INTEGER, SMALLINT, DECIMAL, DOUBLE, VARCHAR, DATE, TIMESTAMP = 4, 5, 3, 8, 12, 91, 93
# com.sun.star.sdb.CommandType, com.sun.star.sdbcx.KeyType
TABLE, PRIMARY = 0, 1

dsn, work = sys.argv[1], os.path.abspath(sys.argv[2])
url = "sdbc:odbc:" + dsn


def props(**kw):
    out = []
    for name, value in kw.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


# LibreOffice's ODBC driver calls the ANSI functions and converts with the data source's
# character set (Base: Edit > Database > Properties > Additional Settings); Eider's ANSI
# strings are UTF-8.
INFO = props(CharSet="UTF-8")


def start_office():
    pipe = "eider_lo_%d" % os.getpid()
    log = open(os.path.join(work, "soffice.log"), "w")
    proc = subprocess.Popen(
        [SOFFICE, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         "--nolockcheck", "-env:UserInstallation=" + uno.systemPathToFileUrl(work + "/profile"),
         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    # Its own process group: the caller kills it by this id if this script is killed.
    with open(os.path.join(work, "soffice.pgid"), "w") as f:
        f.write("%d\n" % proc.pid)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 120
    while True:
        try:
            return proc, resolver.resolve(
                "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        except NoConnectException:
            if proc.poll() is not None and proc.returncode != 81:  # 81: restarting itself
                raise SystemExit("soffice exited with %d before accepting" % proc.returncode)
            if time.monotonic() > deadline:
                raise SystemExit("soffice did not accept a connection in 120 s")
            time.sleep(0.25)


def rows_of(rs, *getters):
    out = []
    while rs.next():
        row = []
        for i, get in enumerate(getters, 1):
            v = getattr(rs, get)(i)
            if get == "getDate" and not rs.wasNull():
                v = (v.Year, v.Month, v.Day)
            elif get == "getTimestamp" and not rs.wasNull():
                v = (v.Year, v.Month, v.Day, v.Hours, v.Minutes, v.Seconds)
            row.append(None if rs.wasNull() else v)
        out.append(tuple(row))
    return out


def check(got, want, what):
    assert got == want, "%s:\n  got  %r\n  want %r" % (what, got, want)


def seed(smgr, ctx):
    """The plain SDBC driver (no Base document): DDL and INSERTs through SQLExecDirect."""
    dm = smgr.createInstanceWithContext("com.sun.star.sdbc.DriverManager", ctx)
    conn = dm.getConnectionWithInfo(url, INFO)
    check(conn.getMetaData().getDatabaseProductName(), "Eider", "product name")
    st = conn.createStatement()
    st.executeUpdate("CREATE TABLE fruit (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, "
                     "price DECIMAL(10,2), picked DATE, weight DOUBLE, "
                     "checked TIMESTAMP)")
    check(st.executeUpdate(
        "INSERT INTO fruit VALUES "
        "(1, 'Zoë''s plum', 0.75, DATE '2024-02-29', 0.125, TIMESTAMP '2024-03-01 10:11:12'), "
        "(2, 'Łukasz pear 😀', 12345678.90, NULL, NULL, NULL), "
        "(3, 'apple', -0.05, DATE '1999-12-31', 150.5, TIMESTAMP '2000-01-01 00:00:00')"),
        3, "rows inserted")
    st.executeUpdate("CREATE TABLE basket (bid INTEGER PRIMARY KEY, fruit_id INTEGER, "
                     "qty SMALLINT, label VARCHAR(20))")
    check(st.executeUpdate("INSERT INTO basket VALUES (1, 1, 3, 'für Zoë'), (2, 3, 12, NULL)"),
          2, "rows inserted")
    conn.close()


def open_base_document(smgr, ctx):
    """A Base document pointing at the DSN, saved and opened again as a user would."""
    dbctx = smgr.createInstanceWithContext("com.sun.star.sdb.DatabaseContext", ctx)
    ds = dbctx.createInstance()
    ds.URL = url
    ds.Info = INFO
    odb = uno.systemPathToFileUrl(work + "/eider.odb")
    ds.DatabaseDocument.storeAsURL(odb, ())
    ds.DatabaseDocument.close(True)
    ds = dbctx.getByName(odb)
    check(ds.URL, url, "the saved document's URL")
    return ds


def read_through_base(smgr, ctx, conn):
    # The tables, as Base's Tables pane lists them (SQLTables), and through the metadata.
    check(sorted(conn.getTables().getElementNames()), ["basket", "fruit"], "tables")
    rs = conn.getMetaData().getTables(None, "%", "%", ("TABLE",))
    check(sorted(r[2] for r in rows_of(rs, "getString", "getString", "getString")),
          ["basket", "fruit"], "getTables")

    # The columns (SQLColumns) and the primary key (SQLPrimaryKeys) of one table.
    fruit = conn.getTables().getByName("fruit")
    cols = fruit.getColumns()
    got = []
    for name in cols.getElementNames():
        c = cols.getByName(name)
        got.append((c.Name, c.Type, c.TypeName, c.Precision, c.Scale, c.IsNullable))
    check(got, [("id", INTEGER, "INTEGER", 10, 0, 0),
                ("name", VARCHAR, "VARCHAR", 40, 0, 0),
                ("price", DECIMAL, "DECIMAL", 10, 2, 1),
                ("picked", DATE, "DATE", 10, 0, 1),
                ("weight", DOUBLE, "DOUBLE", 15, 0, 1),
                ("checked", TIMESTAMP, "TIMESTAMP", 26, 6, 1)], "fruit's columns")
    keys = fruit.getKeys()
    check([(keys.getByIndex(i).Type, keys.getByIndex(i).Columns.getElementNames())
           for i in range(keys.getCount())], [(PRIMARY, ("id",))], "fruit's keys")

    # A query: the values come back through SQLGetData.
    want = [(1, "Zoë's plum", "0.75", (2024, 2, 29), 0.125, (2024, 3, 1, 10, 11, 12)),
            (2, "Łukasz pear 😀", "12345678.90", None, None, None),
            (3, "apple", "-0.05", (1999, 12, 31), 150.5, (2000, 1, 1, 0, 0, 0))]
    rs = conn.createStatement().executeQuery(
        "SELECT id, name, price, picked, weight, checked FROM fruit ORDER BY id")
    check(rows_of(rs, "getInt", "getString", "getString", "getDate", "getDouble",
                  "getTimestamp"), want, "SELECT")
    rs = conn.createStatement().executeQuery("SELECT price, name FROM fruit WHERE id = 2")
    assert rs.next()
    check((rs.getDouble(1), rs.getString(2)), (12345678.9, "Łukasz pear 😀"), "getDouble")

    # A prepared query with parameters (SQLBindParameter): a DATE, a DOUBLE compared with
    # the DECIMAL column, and text.
    ps = conn.prepareStatement(
        "SELECT id FROM fruit WHERE picked < ? AND price > ? OR name = ? ORDER BY id")
    d = uno.createUnoStruct("com.sun.star.util.Date")
    d.Year, d.Month, d.Day = 2024, 1, 1
    ps.setDate(1, d)
    ps.setDouble(2, -1.0)
    ps.setString(3, "Łukasz pear 😀")
    check(rows_of(ps.executeQuery(), "getInt"), [(2,), (3,)], "prepared SELECT")

    return want


def metadata_sweep(smgr, ctx, conn):
    """Every getter of XDatabaseMetaData without arguments, as Base's dialogs and query
    designer call them: each maps onto SQLGetInfo, SQLGetTypeInfo or a catalog call."""
    md = conn.getMetaData()
    intro = smgr.createInstanceWithContext("com.sun.star.beans.Introspection", ctx)
    methods = intro.inspect(md).getMethods(
        uno.getConstantByName("com.sun.star.beans.MethodConcept.ALL"))
    names = sorted(m.getName() for m in methods
                   if m.getDeclaringClass().getName() == "com.sun.star.sdbc.XDatabaseMetaData"
                   and not m.getParameterTypes())
    assert len(names) > 100, names
    failed, values = [], {}
    for name in names:
        try:
            v = getattr(md, name)()
            if hasattr(v, "next"):
                v = rows_of(v, "getString")
            values[name] = v
        except SQLException as e:
            failed.append("%s: %s %s" % (name, e.SQLState, e.Message))
    assert not failed, "metadata getters failed:\n  " + "\n  ".join(failed)
    check(values["getDatabaseProductName"], "Eider", "product name")
    check(values["getIdentifierQuoteString"], '"', "identifier quote")
    check(values["supportsTransactions"], True, "transactions")
    type_names = {r[0] for r in values["getTypeInfo"]}
    assert {"INTEGER", "VARCHAR", "DOUBLE"} <= type_names, type_names
    # Base asks the table types with SQLTables(NULL, NULL, NULL, "%") and offers views
    # only if VIEW is among them.
    check(sorted(values["getTableTypes"]), [("TABLE",), ("VIEW",)], "table types")
    return type_names


def design_table(conn, type_names):
    """Base's table designer: a table descriptor appended to the tables container, which
    LibreOffice turns into CREATE TABLE using SQLGetTypeInfo's names and CREATE_PARAMS."""
    tables = conn.getTables()
    td = tables.createDataDescriptor()
    td.Name = "designed"
    spec = [("k", INTEGER, "INTEGER", 10, 0, 0), ("note", VARCHAR, "VARCHAR", 30, 0, 1),
            ("amount", DECIMAL, "DECIMAL", 12, 3, 1), ("day", DATE, "DATE", 10, 0, 1),
            ("n", SMALLINT, "SMALLINT", 5, 0, 1)]
    for name, typ, type_name, precision, scale, nullable in spec:
        c = td.getColumns().createDataDescriptor()
        c.Name, c.Type, c.TypeName = name, typ, type_name
        c.Precision, c.Scale, c.IsNullable = precision, scale, nullable
        td.getColumns().appendByDescriptor(c)
    key = td.getKeys().createDataDescriptor()
    key.Type = PRIMARY
    kc = key.getColumns().createDataDescriptor()
    kc.Name = "k"
    key.getColumns().appendByDescriptor(kc)
    td.getKeys().appendByDescriptor(key)
    tables.appendByDescriptor(td)
    cols = tables.getByName("designed").getColumns()
    got = [(n, cols.getByName(n).Type, cols.getByName(n).TypeName, cols.getByName(n).Precision,
            cols.getByName(n).Scale, cols.getByName(n).IsNullable) for n in cols.getElementNames()]
    # Without DECIMAL in SQLGetTypeInfo, LibreOffice would write DECIMAL without (p,s).
    assert "DECIMAL" in type_names, type_names
    check(got, spec, "the designed table")
    keys = tables.getByName("designed").getKeys()
    check([keys.getByIndex(i).Columns.getElementNames() for i in range(keys.getCount())],
          [("k",)], "the designed table's key")


def rowset_over(smgr, ctx, conn, table):
    """A table opened in Base's data view: a RowSet over the table, by name, which asks
    the driver for a scrollable cursor."""
    rowset = smgr.createInstanceWithContext("com.sun.star.sdb.RowSet", ctx)
    rowset.ActiveConnection = conn
    rowset.CommandType = TABLE
    rowset.Command = table
    rowset.Order = "bid" if table == "basket" else "id"
    rowset.execute()
    return rowset


def edit_through_base(smgr, ctx, conn):
    """Base's table view edits rows through the RowSet: it writes INSERT, UPDATE and
    DELETE statements keyed on the primary key."""
    rowset = rowset_over(smgr, ctx, conn, "basket")
    check(rows_of(rowset, "getInt", "getInt", "getShort", "getString"),
          [(1, 1, 3, "für Zoë"), (2, 3, 12, None)], "RowSet over basket")
    rowset.moveToInsertRow()
    rowset.updateInt(1, 3)
    rowset.updateInt(2, 2)
    rowset.updateShort(3, 5)
    rowset.updateString(4, "Ærøskøbing")
    rowset.insertRow()
    rowset.moveToCurrentRow()
    assert rowset.first()
    check(rowset.getInt(1), 1, "first row")
    rowset.updateShort(3, 4)
    rowset.updateString(4, "für Łukasz")
    rowset.updateRow()
    assert rowset.next()
    check(rowset.getInt(1), 2, "second row")
    rowset.deleteRow()
    rowset.dispose()
    rs = conn.createStatement().executeQuery("SELECT * FROM basket ORDER BY bid")
    check(rows_of(rs, "getInt", "getInt", "getShort", "getString"),
          [(1, 1, 4, "für Łukasz"), (3, 2, 5, "Ærøskøbing")], "rows edited through the RowSet")


def edit_fruit(smgr, ctx, conn, want):
    """The same over DECIMAL, DATE, TIMESTAMP and DOUBLE columns: the RowSet binds them
    as parameters of its INSERT and UPDATE."""
    rowset = rowset_over(smgr, ctx, conn, "fruit")
    check(rows_of(rowset, "getInt", "getString", "getString", "getDate", "getDouble",
                  "getTimestamp"), want, "RowSet over fruit")
    d = uno.createUnoStruct("com.sun.star.util.Date")
    d.Year, d.Month, d.Day = 2025, 7, 14
    ts = uno.createUnoStruct("com.sun.star.util.DateTime")
    ts.Year, ts.Month, ts.Day, ts.Hours, ts.Minutes, ts.Seconds = 2025, 7, 15, 8, 30, 5
    rowset.moveToInsertRow()
    rowset.updateInt(1, 4)
    rowset.updateString(2, "Ærøskøbing cherry")
    rowset.updateString(3, "2.50")
    rowset.updateDate(4, d)
    rowset.updateDouble(5, 7.25)
    rowset.updateTimestamp(6, ts)
    rowset.insertRow()
    rowset.moveToCurrentRow()
    assert rowset.absolute(2)
    check(rowset.getInt(1), 2, "second row")
    rowset.updateString(3, "0.01")
    rowset.updateDate(4, d)
    rowset.updateRow()
    rowset.dispose()
    rs = conn.createStatement().executeQuery(
        "SELECT id, name, price, picked, weight, checked FROM fruit WHERE id IN (2, 4) "
        "ORDER BY id")
    check(rows_of(rs, "getInt", "getString", "getString", "getDate", "getDouble",
                  "getTimestamp"),
          [(2, "Łukasz pear 😀", "0.01", (2025, 7, 14), None, None),
           (4, "Ærøskøbing cherry", "2.50", (2025, 7, 14), 7.25, (2025, 7, 15, 8, 30, 5))],
          "fruit edited through the RowSet")


def main():
    edited = None
    proc, ctx = start_office()
    try:
        smgr = ctx.ServiceManager
        seed(smgr, ctx)
        ds = open_base_document(smgr, ctx)
        conn = ds.getConnection("", "")
        try:
            want = read_through_base(smgr, ctx, conn)
            design_table(conn, metadata_sweep(smgr, ctx, conn))
            edit_through_base(smgr, ctx, conn)
            edit_fruit(smgr, ctx, conn, want)
            edited = "rows read and edited through the table view"
        finally:
            conn.close()
        try:
            smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx).terminate()
        except Exception:
            pass  # the bridge goes away as soffice exits
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    except SQLException as e:
        traceback.print_exc()
        raise SystemExit("SQLException %s: %s" % (e.SQLState, e.Message))
    finally:
        try:  # soffice.bin runs in the process group the launcher started
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    print("LibreOffice Base: tables listed, columns and keys read, " + edited)


main()
