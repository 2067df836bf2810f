-- The PL/Proxy cluster 'chat', from the migration parameters: plproxy_partitions (libpq
-- connection strings in partition order, separated by '|', e.g. 'host=db0 dbname=chat|host=db1
-- dbname=chat'; their count must be a power of two), plproxy_user and plproxy_password (how the
-- proxy logs in to every partition). Repeatable: re-applied, the cluster is declared anew.

SELECT chat_route.declare_cluster($zgres$${plproxy_partitions}$zgres$, $zgres$${plproxy_user}$zgres$,
                                  $zgres$${plproxy_password}$zgres$);
