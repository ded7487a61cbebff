# Sourced by mvnw, recast and .ci/run: points JAVA_HOME at a JDK >= 21.
# The machine's default java is 17, so an explicit JAVA_HOME of 21+ wins, then the newest JDK under /usr/lib/jvm.
# A JDK's release file names its version; reading it costs nothing, where starting each JDK's java took a tenth of a
# second off every `recast` run on a machine with four JDKs. Without the file, ask java itself.
recast_java_major() {
  recast_release=""
  # (mvnw runs under sh with set -e: a sed failing on a missing file would end it silently)
  [ -r "$1/release" ] && recast_release=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  if [ -n "$recast_release" ]; then
    echo "$recast_release"
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1
  fi
}
recast_select_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(recast_java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  recast_best="" recast_best_major=0
  # mvnw runs with globbing off (set -f): list the JDKs without a glob.
  for recast_jdk in $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort); do
    [ -x "$recast_jdk/bin/javac" ] || continue
    recast_major=$(recast_java_major "$recast_jdk")
    if [ "${recast_major:-0}" -ge 21 ] 2>/dev/null && [ "$recast_major" -gt "$recast_best_major" ]; then
      recast_best=$recast_jdk recast_best_major=$recast_major
    fi
  done
  if [ -z "$recast_best" ]; then
    echo "recast: no JDK >= 21 found (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
    return 1
  fi
  JAVA_HOME=$recast_best
  export JAVA_HOME
}
recast_select_jdk
