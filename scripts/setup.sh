#!/usr/bin/env bash
# Installs what `make run` and `make test` need on a fresh machine, and only what is missing.
#   scripts/setup.sh python      uv + the locked Python environment
#   scripts/setup.sh browser     Debian's chromium for the browser tests
#   scripts/setup.sh pdf         the libraries and fonts WeasyPrint renders PDFs with, and pdftoppm
#   scripts/setup.sh postgres    a running PostgreSQL with a role and database for the tests
#   scripts/setup.sh nginx       nginx, for the load benchmark (it starts its own, on loopback)
# System packages are installed with apt-get when run as root; otherwise it says which to install.
set -euo pipefail
cd "$(dirname "$0")/.."

export UV_PYTHON_DOWNLOADS=never
PG_DATABASE="${PG_DATABASE:-medmatch}"
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

apt_updated=""
apt_install() {
    # apt_install PACKAGE... — install the Debian packages that are not installed yet.
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
        die "missing system packages: ${missing[*]}. Install them (as root: apt-get install ${missing[*]}) and run this again."
    fi
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "$apt_updated" ]; then
        say "apt-get update"
        apt-get -o DPkg::Lock::Timeout=300 -q update >/dev/null
        apt_updated=1
    fi
    say "installing ${missing[*]}"
    apt-get -o DPkg::Lock::Timeout=300 -y -q install "${missing[@]}" >/dev/null
}

setup_python() {
    command -v python3 >/dev/null || die "python3 (3.11 or newer) is required."
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "python3 is $(python3 -V 2>&1); medmatch needs Python 3.11 or newer."
    if ! command -v uv >/dev/null; then
        say "installing uv"
        python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
        export PATH="$HOME/.local/bin:$PATH"
    fi
    # Quietly a no-op when .venv already matches uv.lock, so a second `make run` starts at once.
    uv sync --locked --quiet
}

setup_browser() {
    apt_install chromium fonts-dejavu-core
}

setup_pdf() {
    # Noto CJK: names in Chinese, Japanese or Korean on CVs and letter packets (Pango falls back
    # to it per glyph; DejaVu has none).
    apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils \
        fonts-noto-cjk
}

setup_nginx() {
    # The benchmark runs nginx itself with a generated config; the packaged service is not needed.
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx
}

pg_answers() {
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null
}

setup_postgres() {
    if [ -n "${TEST_DATABASE_URL:-}" ]; then
        return 0  # the caller brings its own server
    fi
    command -v pg_isready >/dev/null || apt_install postgresql postgresql-client
    if ! pg_answers; then
        if [ "$(id -u)" -ne 0 ]; then
            die "PostgreSQL does not answer at $PG_HOST:$PG_PORT. Start it (e.g. sudo pg_ctlcluster <version> main start) or set TEST_DATABASE_URL."
        fi
        [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ] || apt_install postgresql
        local version
        version="$(ls /etc/postgresql | sort -V | tail -n 1)"
        say "starting PostgreSQL $version"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
            || pg_ctlcluster "$version" main start
        for _ in $(seq 1 30); do pg_answers && break; sleep 1; done
        pg_answers || die "PostgreSQL $version did not start; see /var/log/postgresql/."
    fi
    local user
    user="$(id -un)"
    if ! psql -h "$PG_HOST" -p "$PG_PORT" -d postgres -tAc "select 1" >/dev/null 2>&1; then
        [ "$(id -u)" -eq 0 ] || die "PostgreSQL refuses role $user; create it: sudo -u postgres createuser --superuser $user"
        say "creating PostgreSQL role $user"
        runuser -u postgres -- createuser --superuser "$user" 2>/dev/null \
            || runuser -u postgres -- psql -h "$PG_HOST" -p "$PG_PORT" -c "create role \"$user\" superuser login"
    fi
    if ! psql -h "$PG_HOST" -p "$PG_PORT" -d postgres -tAc \
        "select 1 from pg_database where datname = '$PG_DATABASE'" | grep -q 1; then
        say "creating PostgreSQL database $PG_DATABASE"
        createdb -h "$PG_HOST" -p "$PG_PORT" "$PG_DATABASE"
    fi
}

for part in "$@"; do
    case "$part" in
        python) setup_python ;;
        browser) setup_browser ;;
        pdf) setup_pdf ;;
        postgres) setup_postgres ;;
        nginx) setup_nginx ;;
        *) die "unknown part '$part' (python, browser, pdf, postgres, nginx)" ;;
    esac
done
