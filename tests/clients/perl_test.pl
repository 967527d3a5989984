# Perl DBI with DBD::ODBC (libdbd-odbc-perl) through unixODBC to Eider: connect, prepared
# statements, execute_array (a parameter array), type_info_all, table_info,
# column_info, primary_key_info, and an error's SQLSTATE.
use strict;
use warnings;
use DBI;

my $dsn = shift @ARGV;
my $dbh = DBI->connect("dbi:ODBC:$dsn", "", "", {RaiseError => 1, PrintError => 0, AutoCommit => 1});
die "not Eider" unless $dbh->get_info(17) eq "Eider";    # SQL_DBMS_NAME

$dbh->do("create table fish (id integer primary key, name varchar(30) not null, weight double)");
$dbh->{odbc_array_operations} = 1;    # execute_array as one parameter array
my $ins = $dbh->prepare("insert into fish values (?, ?, ?)");
$ins->execute(1, "pike", 4.5);

# execute_array: DBD::ODBC sends the 100 rows as one parameter array.
my @ids = (2 .. 101);
my @names = map { "fish $_" } @ids;
my @weights = map { $_ / 10 } @ids;
my @status;
my $n = $ins->execute_array({ArrayTupleStatus => \@status}, \@ids, \@names, \@weights);
die "execute_array inserted $n" unless $n == 100;
my ($count) = $dbh->selectrow_array("select id from fish where id = 101");
die "row 101 missing" unless defined $count && $count == 101;
my $rows = $dbh->selectall_arrayref("select id, name from fish where id <= 3");
die "rows: " . scalar(@$rows) unless @$rows == 3 && $rows->[1][1] eq "fish 2";

# Metadata the way DBI applications and ORMs read it.
my $ti = $dbh->type_info_all;
my %types = map { $_->[0] => 1 } @{$ti}[1 .. $#$ti];
for my $t (qw(INTEGER BIGINT DOUBLE VARCHAR BOOLEAN)) {
    die "type_info_all lacks $t" unless $types{$t};
}
my $tables = $dbh->table_info(undef, undef, "fi%", "TABLE")->fetchall_arrayref({});
die "table_info: " . scalar(@$tables) unless @$tables == 1 && $tables->[0]{TABLE_NAME} eq "fish";
my $cols = $dbh->column_info(undef, undef, "fish", "%")->fetchall_arrayref({});
my @names_seen = map { $_->{COLUMN_NAME} } @$cols;
die "column_info: @names_seen" unless "@names_seen" eq "id name weight";
die "name is nullable" unless $cols->[1]{NULLABLE} == 0;
my @pk = $dbh->primary_key(undef, undef, "fish");
die "primary_key: @pk" unless "@pk" eq "id";

# Errors carry their SQLSTATE.
eval { $ins->execute(1, "duplicate", 0) };
die "no error for a duplicate key" unless $@;
die "state " . $dbh->state unless $dbh->state eq "23000";

$dbh->disconnect;
print "perl: all checks passed\n";
