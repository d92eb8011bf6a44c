#!/usr/bin/env bash
# scripts/lib/packages.sh under the scripts' own shell options, against stand-in apt-cache and
# dpkg-query commands: apt-cache prints a long policy whose candidate comes first (so a reader that
# stops at the match leaves it writing into a closed pipe), dpkg-query a status per package.
# Prints "N passed, M failed"; exits 1 on any failure.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT

cat > "$fake/apt-cache" <<'SH'
#!/usr/bin/env bash
# policy NAME: "known-*" have a candidate, "gone-*" a "(none)" one, others print nothing.
case "$2" in
  known-*) echo "$2:"; echo "  Installed: (none)"; echo "  Candidate: 1.2-3" ;;
  gone-*)  echo "$2:"; echo "  Installed: (none)"; echo "  Candidate: (none)" ;;
  *) exit 0 ;;
esac
# Then far more than a pipe holds, written after the candidate line.
for i in $(seq 1 20000); do echo "     1.2-$i 500        http://deb.example/debian bookworm/main amd64 Packages"; done
SH
cat > "$fake/dpkg-query" <<'SH'
#!/usr/bin/env bash
# -W -f=FORMAT NAME: "have-*" installed, "half-*" unpacked only, others unknown (exit 1).
name=${!#}
case "$name" in
  have-*) printf 'install ok installed' ;;
  half-*) printf 'install ok unpacked' ;;
  *) echo "dpkg-query: no packages found matching $name" >&2; exit 1 ;;
esac
SH
chmod +x "$fake/apt-cache" "$fake/dpkg-query"
PATH="$fake:$PATH"
# shellcheck source=../../scripts/lib/packages.sh
source "$repo/scripts/lib/packages.sh"

passed=0 failed=0
check() {  # check "what" EXPECTED(0|1) command...
  local what=$1 want=$2 got=0
  shift 2
  "$@" || got=1
  if [ "$got" = "$want" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what (exit $got, want $want)"; fi
}
check "a package with a candidate is available" 0 package_available known-libfoo-dev
check "a package whose candidate is (none) is not" 1 package_available gone-libbar-dev
check "an unknown package is not" 1 package_available nosuch-package
check "an installed package is installed" 0 package_installed have-cmake
check "an unpacked package is not installed" 1 package_installed half-cmake
check "an unknown package is not installed" 1 package_installed nosuch-package
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
