package dev.zgres.testkit;

import dev.zgres.embedded.DebianPostgres15;
import dev.zgres.runtime.postgres.SchemaMigrator;
import dev.zgres.runtime.postgres.SchemaRole;
import dev.zgres.runtime.settings.PgEndpoint;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The book's partitioned chat on one {@link DebianPostgres15} server: a proxy database with the
 * PL/Proxy chat API and a power of two of partition databases, each migrated by {@link
 * SchemaMigrator} in its role, as {@code bin/zgres migrate} does. One server with several databases
 * behaves like several servers for PL/Proxy (it connects through libpq either way).
 */
public final class PlProxyCluster implements AutoCloseable {
  private static final AtomicInteger CLUSTERS = new AtomicInteger();

  private final DebianPostgres15 server;
  private final PgEndpoint proxy;
  private final List<PgEndpoint> partitions;

  private PlProxyCluster(DebianPostgres15 server, PgEndpoint proxy, List<PgEndpoint> partitions) {
    this.server = server;
    this.proxy = proxy;
    this.partitions = List.copyOf(partitions);
  }

  /**
   * Starts a server and migrates a proxy and {@code count} partitions. Tests check {@link
   * DebianPostgres15#missing()} first and skip with its message.
   */
  public static PlProxyCluster start(int count) throws IOException, InterruptedException {
    DebianPostgres15 server = DebianPostgres15.start();
    try {
      String prefix = "chat" + CLUSTERS.incrementAndGet();
      List<PgEndpoint> partitions = new ArrayList<>();
      List<String> libpq = new ArrayList<>();
      for (int p = 0; p < count; p++) {
        String name = prefix + "_p" + p;
        PgEndpoint db = new PgEndpoint(server.createDatabase(name), server.user(), "");
        SchemaMigrator.migrate(db, new SchemaRole.Partition(p, count));
        partitions.add(db);
        libpq.add(server.libpq(name));
      }
      PgEndpoint proxy =
          new PgEndpoint(server.createDatabase(prefix + "_proxy"), server.user(), "");
      SchemaMigrator.migrate(proxy, new SchemaRole.Proxy(libpq, server.user(), ""));
      return new PlProxyCluster(server, proxy, partitions);
    } catch (SQLException | RuntimeException e) {
      server.close();
      throw new IllegalStateException("cannot set up the PL/Proxy chat cluster", e);
    }
  }

  /** The database the chat API is called on. */
  public PgEndpoint proxy() {
    return proxy;
  }

  /** The partition databases, in partition order. */
  public List<PgEndpoint> partitions() {
    return partitions;
  }

  /** The partition that owns a user, channel or message id (PL/Proxy: {@code id & (count - 1)}). */
  public int partitionOf(long id) {
    return (int) (id & (partitions.size() - 1));
  }

  @Override
  public void close() {
    server.close();
  }
}
