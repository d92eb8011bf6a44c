# Debian package checks for scripts/noiselab-build (sourced; scripts run under set -euo pipefail).
# Each tool's output is read whole before it is matched: under pipefail, `tool | grep -q` fails
# whenever grep stops reading at its match and the tool then dies of SIGPIPE. apt-cache policy
# does, and on a machine without the packages every one read as "not available" and nothing was
# installed (tests/scripts/test_packages.sh keeps it fixed).

# True when package $1 is installed.
package_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == *"install ok installed"* ]]
}

# True when this machine's Debian can install package $1 (apt-cache policy shows a candidate).
package_available() {
  local policy
  policy=$(apt-cache policy "$1" 2>/dev/null || true)
  grep -q "Candidate: [^(]" <<< "$policy"
}
