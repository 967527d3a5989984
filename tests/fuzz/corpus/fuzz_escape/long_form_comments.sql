SELECT --(*vendor(Microsoft),product(ODBC) fn DAYNAME(d)*)-- FROM t -- {fn x}
/* {d */ WHERE s = '{oj ''}' AND "{" = ?