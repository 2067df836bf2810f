-- Run once by the postgres image when it creates the cluster (docker-entrypoint-initdb.d), in the
-- database the bridge reads (POSTGRES_DB). The bridge runs in wal mode (ZGRES_SOURCE=wal), so every
-- writer's zgres.emit must write to the WAL: the setting applies to sessions that start after it,
-- and migrate runs later still. Written with current_database() so the same file serves any name.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET zgres.transport = %L', current_database(), 'wal');
END
$$;
