# Run once by the MariaDB image's entrypoint when the first node initialises its data (docker-entrypoint-initdb.d):
# the account mariabackup uses to copy the data to a joining node. Replicated to the other nodes with everything else.
docker_process_sql --database=mysql <<SQL
CREATE USER IF NOT EXISTS 'sst'@'localhost' IDENTIFIED BY '${GALERA_SST_PASSWORD}';
GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.* TO 'sst'@'localhost';
SQL
