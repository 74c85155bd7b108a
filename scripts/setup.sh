#!/bin/sh
# What `make site` and `make test` need, set up from a clean clone (POSIX sh; Linux and macOS):
#   1. a Python >= 3.11 (python3, else python3.13, python3.12 or python3.11; PYTHON=... to choose one)
#      and .venv made with it;
#   2. the locked packages, hash-checked: requirements/site.txt for `site`, requirements/test.txt
#      (the same versions plus the test and lint tools) for `test`, then this project itself
#      (editable). Installed again only when the lock file changed: a copy of the lock installed
#      is kept in .venv, and a changed lock makes .venv again, so .venv holds exactly the lock;
#   3. the system packages: a Chinese font (the build's own check, sitegen/fonts.py) and the
#      libfribidi that lets Pillow lay out the social cards' text with raqm; for `test` also Chromium at /usr/bin/chromium (tests/conftest.py), a Java runtime (the Nu HTML
#      checker) and Node/npm, then node_modules from package-lock.json (npm ci, again only when
#      the lock changed), and the zh_CN.UTF-8 locale that the determinism tests build under.
# On Debian and Ubuntu, as root or with sudo, what is missing is installed with apt-get; anywhere
# else the script says exactly what to install and stops.
# Usage: scripts/setup.sh site | test | venv   (venv: steps 1 only, for `make lock`)
set -eu
cd "$(dirname "$0")/.."
task=${1:-site}
venv=.venv

say() { printf 'setup: %s\n' "$*" >&2; }
stop() {
	printf 'setup: %s\n' "$@" >&2
	exit 1
}

# --- the platform ---------------------------------------------------------------------------
os=other
if [ "$(uname -s)" = Darwin ]; then
	os=macos
elif [ -r /etc/os-release ]; then
	# shellcheck disable=SC1091 # read at run time
	case " $(. /etc/os-release && printf '%s %s' "${ID:-}" "${ID_LIKE:-}") " in
	*" ubuntu "*) os=ubuntu ;;
	*" debian "*) os=debian ;;
	esac
fi

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	else
		sudo "$@"
	fi
}

can_apt() {
	case $os in debian | ubuntu) ;; *) return 1 ;; esac
	command -v apt-get >/dev/null 2>&1 || return 1
	[ "$(id -u)" = 0 ] || command -v sudo >/dev/null 2>&1
}

apt_updated=
apt_install() {
	can_apt || return 1
	say "installing $* with apt-get"
	if [ -z "$apt_updated" ]; then
		as_root apt-get update -qq || return 1
		apt_updated=1
	fi
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# --- 1. Python and .venv --------------------------------------------------------------------
py_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }

find_python() {
	for c in ${PYTHON:-python3 python3.13 python3.12 python3.11}; do
		if command -v "$c" >/dev/null 2>&1 && py_ok "$c"; then
			command -v "$c"
			return 0
		fi
	done
	return 1
}

venv_ok() { [ -x "$venv/bin/python" ] && py_ok "$venv/bin/python" && "$venv/bin/python" -m pip --version >/dev/null 2>&1; }

make_venv() {
	venv_ok && return 0
	rm -rf "$venv"
	if ! py=$(find_python); then
		if [ -z "${PYTHON:-}" ]; then apt_install python3 python3-venv >&2 || true; fi
		py=$(find_python) || case $os in
		macos) stop "no Python 3.11 or newer found. Install one: brew install python@3.13" ;;
		debian | ubuntu) stop "no Python 3.11 or newer found. As root: apt-get install python3 python3-venv (Debian 12 has 3.11, Ubuntu 24.04 3.12)" ;;
		*) stop "no Python 3.11 or newer found (python3, python3.13, python3.12, python3.11). Install one, or name it: make PYTHON=/path/to/python3.12 ..." ;;
		esac
	fi
	say "making $venv with $py ($("$py" -c 'import sys; print(sys.version.split()[0])'))"
	if ! "$py" -m venv "$venv" >/dev/null 2>&1; then
		# Debian and Ubuntu leave ensurepip, which venv needs, to a package of its own.
		rm -rf "$venv"
		pkg=python$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv
		apt_install "$pkg" >&2 || stop "$py cannot make a virtual environment. Install its venv module (Debian/Ubuntu: apt-get install $pkg) and run this again."
		"$py" -m venv "$venv"
	fi
	venv_ok || stop "$venv was made but has no working pip; delete it and run this again."
}

# --- 2. the locked packages -----------------------------------------------------------------
install_lock() {
	lock=requirements/$1.txt
	stamp=$venv/.installed-$1.txt
	if [ -f "$stamp" ] && cmp -s "$lock" "$stamp"; then
		return 0
	fi
	if [ -f "$stamp" ]; then
		say "$lock changed: making $venv again"
		rm -rf "$venv"
		make_venv
	fi
	say "installing $lock into $venv"
	PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore \
		"$venv/bin/python" -m pip install -q --require-hashes -r "$lock"
	# The project itself, with the locked setuptools (requirements/build.in), not a newer one.
	PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore \
		"$venv/bin/python" -m pip install -q --no-deps --no-build-isolation -e .
	cp "$lock" "$stamp"
}

# --- 3. the system packages -----------------------------------------------------------------
font_ok() { "$venv/bin/python" -c 'from sitegen.fonts import cjk_font; cjk_font(False); cjk_font(True)' >/dev/null 2>&1; }
# Pillow's wheels load libfribidi at run time when it is there, and then lay text out with raqm,
# so cards come out differently with and without it (and a card cached before it came, say with
# Chromium's dependencies, differs from a new one): have it from the first build on.
raqm_ok() { "$venv/bin/python" -c 'import sys; from PIL import features; sys.exit(not features.check("raqm"))' >/dev/null 2>&1; }
chromium_ok() { [ -x /usr/bin/chromium ] && /usr/bin/chromium --version >/dev/null 2>&1; }
# A locale that is not installed silently runs as C, so the tests ask for it (tests/conftest.py).
locale_ok() { LC_ALL=zh_CN.UTF-8 "$venv/bin/python" -c 'import locale; locale.setlocale(locale.LC_ALL, "")' >/dev/null 2>&1; }
make_locale() { can_apt && as_root localedef -i zh_CN -f UTF-8 zh_CN.UTF-8; }
java_ok() { java -version >/dev/null 2>&1; } # macOS has a /usr/bin/java that only asks for one
node_ok() {
	command -v npm >/dev/null 2>&1 && node -e '
		const [major, minor] = process.versions.node.split(".").map(Number);
		process.exit(major > 18 || (major === 18 && minor >= 16) ? 0 : 1);  // Lighthouse 12
	' >/dev/null 2>&1
}

# Ubuntu's chromium and chromium-browser packages only install the snap, which cannot be driven
# from here; a Google Chrome installed from its .deb (as on GitHub's runners) can stand in.
link_chrome() {
	[ "$os" = ubuntu ] && [ ! -e /usr/bin/chromium ] || return 1
	for c in /usr/bin/google-chrome-stable /usr/bin/google-chrome /opt/google/chrome/chrome; do
		if [ -x "$c" ] && "$c" --version >/dev/null 2>&1; then
			say "linking /usr/bin/chromium to $c (the tests drive /usr/bin/chromium)"
			as_root ln -s "$c" /usr/bin/chromium && return 0
		fi
	done
	return 1
}

# Prints what to install for each missing piece, per platform, and stops.
explain() {
	msgs=
	for piece in "$@"; do
		case $os:$piece in
		macos:font) m="a Chinese font the build finds: PingFang.ttc in /System/Library/Fonts, /Library/Fonts or ~/Library/Fonts, or Noto Sans CJK SC (NotoSansCJKsc-Regular.otf and NotoSansCJKsc-Bold.otf from https://github.com/notofonts/noto-cjk/releases, 08_NotoSansCJKsc.zip) copied into ~/Library/Fonts" ;;
		macos:java) m="a Java runtime: brew install --cask temurin" ;;
		macos:node) m="Node.js 18.16 or newer with npm: brew install node" ;;
		ubuntu:chromium) m="a Chromium or Chrome at /usr/bin/chromium. Ubuntu's chromium package is only a snap, which Playwright cannot drive. On amd64 install Google Chrome's .deb (curl -fLO https://dl.google.com/linux/direct/google-chrome-stable_current_amd64.deb && sudo apt-get install ./google-chrome-stable_current_amd64.deb) and run this again: it links /usr/bin/chromium to it. On arm64: sudo add-apt-repository ppa:xtradeb/apps && sudo apt-get install chromium" ;;
		debian:font | ubuntu:font) m="apt-get install fonts-noto-cjk (as root)" ;;
		debian:fribidi | ubuntu:fribidi) m="apt-get install libfribidi0 (as root)" ;;
		debian:chromium) m="apt-get install chromium (as root)" ;;
		debian:java | ubuntu:java) m="apt-get install default-jre-headless (as root)" ;;
		debian:node | ubuntu:node) m="apt-get install npm (as root; Node.js 18.16 or newer)" ;;
		debian:locale | ubuntu:locale) m="the zh_CN.UTF-8 locale: apt-get install locales && localedef -i zh_CN -f UTF-8 zh_CN.UTF-8 (as root)" ;;
		*:font) m="a Chinese font: Noto Sans CJK SC (fonts-noto-cjk) or Source Han Sans SC" ;;
		*:chromium) m="Chromium at /usr/bin/chromium" ;;
		*:java) m="a Java runtime (java on PATH)" ;;
		*:node) m="Node.js 18.16 or newer with npm" ;;
		*:locale) m="the zh_CN.UTF-8 locale (glibc: localedef -i zh_CN -f UTF-8 zh_CN.UTF-8)" ;;
		esac
		msgs="$msgs
  - $m"
	done
	stop "missing, please install:$msgs" "then run the same make command again."
}

system_packages() {
	missing=
	font_ok || missing="$missing font"
	raqm_ok || missing="$missing fribidi"
	if [ "$1" = test ]; then
		chromium_ok || missing="$missing chromium"
		java_ok || missing="$missing java"
		node_ok || missing="$missing node"
		locale_ok || missing="$missing locale"
	fi
	[ -n "$missing" ] || return 0
	pkgs=
	for piece in $missing; do
		case $os:$piece in
		*:font) pkgs="$pkgs fonts-noto-cjk" ;;
		*:fribidi) pkgs="$pkgs libfribidi0" ;;
		debian:chromium) pkgs="$pkgs chromium" ;;
		ubuntu:chromium) ;;
		*:java) pkgs="$pkgs default-jre-headless" ;;
		*:node) pkgs="$pkgs npm" ;;
		*:locale) pkgs="$pkgs locales" ;;
		esac
	done
	if can_apt; then
		# shellcheck disable=SC2086 # one word per package
		[ -z "$pkgs" ] || apt_install $pkgs >&2 || true
		case $missing in *chromium*) chromium_ok || link_chrome || true ;; esac
		case $missing in *locale*) locale_ok || make_locale >&2 || true ;; esac
	fi
	still=
	for piece in $missing; do
		case $piece in
		font) font_ok || still="$still font" ;;
		fribidi) raqm_ok || still="$still fribidi" ;;
		chromium) chromium_ok || still="$still chromium" ;;
		java) java_ok || still="$still java" ;;
		node) node_ok || still="$still node" ;;
		locale) locale_ok || still="$still locale" ;;
		esac
	done
	case $os:$still in
	macos:*chromium*)
		# /usr/bin cannot be written on macOS: the browser tests skip there (and run in CI).
		say "note: the browser tests drive /usr/bin/chromium, which macOS cannot have; they will be skipped here."
		still=$(printf '%s' "$still" | sed 's/ chromium//')
		;;
	esac
	case $os:$still in
	debian:* | ubuntu:*) ;;
	*:*fribidi*)
		say "note: Pillow lays out the social cards' text without raqm here (brew install fribidi, or your system's libfribidi, adds it; then delete .cache/, whose cards were drawn without it)."
		still=$(printf '%s' "$still" | sed 's/ fribidi//')
		;;
	esac
	# shellcheck disable=SC2086 # one word per piece
	[ -z "$still" ] || explain $still
}

npm_ci() {
	stamp=node_modules/.installed-package-lock.json
	if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
		return 0
	fi
	say "installing node_modules from package-lock.json (npm ci)"
	npm ci --no-audit --no-fund --loglevel=error
	cp package-lock.json "$stamp"
}

case $task in
venv) make_venv ;;
site)
	make_venv
	install_lock site
	system_packages site
	;;
test)
	make_venv
	install_lock test
	system_packages test
	npm_ci
	;;
*) stop "usage: scripts/setup.sh site | test | venv" ;;
esac
