# syntax=docker/dockerfile:1
# One image for every zgres process; the command is the argument:
#   docker build -t zgres:local .
#   docker run --rm zgres:local bridge        (ai-worker, moderator, gateway, migrate, replay, backfill)
# docker-compose.yml builds and runs it; deploy/src/test checks this file (DockerfileTest).

# ---- build: the Maven wrapper on a full JDK. Nothing of this stage reaches the runtime image
# but the one shaded jar (the SQL migrations and the AI worker's embedding model are inside it).
FROM eclipse-temurin:21.0.8_9-jdk-noble AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl cli -am -DskipTests -Djacoco.skip=true -Dspotless.check.skip=true package \
 && cp cli/target/zgres.jar /zgres.jar

# ---- runtime: a JRE, one jar, a healthcheck script, and a user that is not root.
FROM eclipse-temurin:21.0.8_9-jre-noble AS runtime
RUN groupadd --system --gid 10001 zgres \
 && useradd --system --uid 10001 --gid zgres --home-dir /var/lib/zgres --create-home \
      --shell /usr/sbin/nologin zgres \
 && install -d -o zgres -g zgres /var/cache/zgres/djl /var/cache/zgres/cds
COPY --from=build /zgres.jar /opt/zgres/zgres.jar
COPY --chmod=0755 deploy/docker/zgres-healthcheck /usr/local/bin/zgres-healthcheck
# DJL unpacks native libraries and the model here (a writable directory; nothing is downloaded).
ENV DJL_CACHE_DIR=/var/cache/zgres/djl
USER 10001:10001
WORKDIR /var/lib/zgres
# 9464: /metrics and /health of every process; 8080: the gateway.
EXPOSE 9464 8080
STOPSIGNAL SIGTERM
# Exec form: java is PID 1 and receives SIGTERM itself (drain, then exit 0). The heap follows the
# container's memory limit; an OutOfMemoryError ends the process so the orchestrator restarts it.
# Class-data sharing: a container's first run writes the archive when it stops, its restarts map it
# and start in about half the time. JVM warnings go to stderr. Extra JVM options: JDK_JAVA_OPTIONS
# (docker-compose.yml gives the bridge the launcher's sizing there).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError", \
            "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=/var/cache/zgres/cds/zgres.jsa", \
            "-Xlog:disable", "-Xlog:all=warning:stderr", "-Xlog:cds*=off:stderr", \
            "-jar", "/opt/zgres/zgres.jar"]
CMD ["--help"]
