-- The PL/Proxy cluster 'chat', from the migration parameters: plproxy_partitions (libpq
-- connection strings in partition order, separated by '|', e.g. 'host=db0 dbname=chat|host=db1
-- dbname=chat'; their count must be a power of two), plproxy_user and plproxy_password (how the
-- proxy logs in to every partition). Repeatable: re-applied, the cluster is declared anew.
-- Each value is dollar-quoted behind a '=' that substr drops: Flyway reads "$${" as an escaped
-- placeholder.

SELECT chat_route.declare_cluster(substr($zgres$=${plproxy_partitions}$zgres$, 2),
                                  substr($zgres$=${plproxy_user}$zgres$, 2),
                                  substr($zgres$=${plproxy_password}$zgres$, 2));
