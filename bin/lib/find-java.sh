# Sourced by bin/zgres and .ci/run: sets JAVA_HOME to a JDK 21 or newer, or fails saying so.
# Looks at $JAVA_HOME, then `java` on PATH, then every JDK under /usr/lib/jvm (newest first).

zgres_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n1
}

zgres_find_java() {
  local candidates=() dir major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for dir in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidates+=("${dir%/}")
  done
  for dir in "${candidates[@]}"; do
    [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || continue
    major=$(zgres_java_major "$dir")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$dir"
      return 0
    fi
  done
  echo "zgres needs a JDK 21 or newer (java and javac); none found in JAVA_HOME, PATH or /usr/lib/jvm." >&2
  echo "Install one (e.g. apt-get install openjdk-21-jdk) or point JAVA_HOME at it." >&2
  return 1
}
