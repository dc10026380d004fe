#!/usr/bin/env bash
# gridplan set-up on Debian 12 (run as root). The README's two commands:
#   ./build.sh demo   install what is missing, build (Release), run the whole pipeline on data/ into out/
#   ./build.sh test   install what is missing, build (warnings as errors), run every test
# Other entry points for developers: ./build.sh install | build | asan | fuzz SECONDS
set -euo pipefail
cd "$(dirname "$0")"

# Build and run-time packages (docs/dependencies.md says why each one is here).
BUILD_PKGS=(build-essential cmake ninja-build pkg-config
            libgdal-dev libgeos-dev libproj-dev libboost-dev
            nlohmann-json3-dev libcli11-dev coinor-libcbc-dev catch2 libcpp-httplib-dev)
# A CJK font for the QGIS project's Chinese labels and print layouts (without one QGIS draws
# every Chinese character as a box); the demo's out/gridplan.qgs is opened on this machine.
MAP_PKGS=(fonts-noto-cjk)
# Extra packages for the tests: GDAL's Python samples (GeoPackage validator), PROJ's gie,
# real QGIS to open our outputs headless (fonts-noto-cjk to render their Chinese labels), and
# the peers of the benchmarks' smoke tests (METIS for partition/redraw, PuLP + the CBC binary
# for siting, numpy/scipy for the city generator),
# LibreOffice Calc (the CSV's codes stay text in a spreadsheet), script(1) (progress on a pty)
# and Chromium, which the report page's browser test drives through playwright-core (web/).
TEST_PKGS=(python3 python3-gdal proj-bin gdal-bin python3-qgis qgis-providers fonts-noto-cjk
           libmetis-dev python3-pulp coinor-cbc python3-numpy python3-scipy
           libreoffice-calc-nogui bsdutils chromium)
# The fuzz targets (./build.sh fuzz): clang with its libFuzzer, ASan and UBSan run-times.
FUZZ_PKGS=(clang libclang-rt-14-dev)

install_missing() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if ((${#missing[@]})); then
        echo "gridplan: installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

# The report page's front end (web/) is built by its pinned npm toolchain: Node.js from Debian
# when the machine has none (a Node.js already installed is used as it is: Debian's npm
# conflicts with Node.js packages of other origins), then `npm ci` from web/package-lock.json
# whenever the lock file is newer than what is installed. One install at a time per clone.
web_toolchain() {
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        install_missing nodejs npm
    fi
    (
        flock 9
        if [ ! -f web/node_modules/.package-lock.json ] ||
           [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
            echo "gridplan: installing the report page's npm toolchain (web/package-lock.json)"
            (cd web && npm ci --no-audit --no-fund --loglevel=error)
        fi
    ) 9>web/.npm-install.lock
}

jobs() { nproc 2>/dev/null || echo 2; }

configure_build() {  # $1 = build dir, rest = cmake options
    local dir=$1; shift
    cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
    cmake --build "$dir" -j "$(jobs)"
}

# The unit and CLI tests on the AddressSanitizer + UBSan build (build/asan). RelWithDebInfo, not
# Debug: at -O0 the sample's coverage takes 140 s instead of 14 s (docs/robustness.md). Left out:
# the `slow` label (real datasets, and cli.siting_time_limit_holds_on_a_150x150_grid, whose
# assertion is a wall-clock bound). Any finding fails its test: ASan and UBSan abort
# (-fno-sanitize-recover), LeakSanitizer exits non-zero; third-party leaks are suppressed by
# library name (tests/sanitizers/lsan.supp).
# Line tables only (-g1): the reports still name file and line, and the build is quicker.
asan_tests() {
    export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp print_suppressions=0"
    export UBSAN_OPTIONS="print_stacktrace=1"
    configure_build build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGRIDPLAN_SANITIZE=ON \
        -DGRIDPLAN_WERROR=ON -DGRIDPLAN_BENCH=OFF -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
    ctest --test-dir build/asan --output-on-failure -j "$(jobs)" -L 'unit|cli' -LE slow
}

case "${1:-}" in
    install)
        install_missing "${BUILD_PKGS[@]}" "${MAP_PKGS[@]}" "${TEST_PKGS[@]}"
        web_toolchain ;;
    build)
        install_missing "${BUILD_PKGS[@]}"
        web_toolchain
        configure_build build/release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF ;;
    demo)
        install_missing "${BUILD_PKGS[@]}" "${MAP_PKGS[@]}"
        web_toolchain
        configure_build build/release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF
        # The demo directory is ours to replace, hence --force; gridplan never overwrites without it.
        ./build/release/cli/gridplan run data/monaco.json --output out --force
        echo "gridplan: results in out/ (open out/report.html in a browser, out/gridplan.qgs in QGIS)" ;;
    test)
        install_missing "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}"
        web_toolchain
        configure_build build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGRIDPLAN_WERROR=ON
        ctest --test-dir build/test --output-on-failure -j "$(jobs)"
        # Then the unit and CLI tests again under ASan + UBSan (docs/robustness.md).
        asan_tests ;;
    asan)
        install_missing "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}"
        web_toolchain
        asan_tests ;;
    fuzz)
        # ./build.sh fuzz SECONDS [TARGET...]: each libFuzzer target for SECONDS (tests/fuzz/run.sh)
        install_missing "${BUILD_PKGS[@]}" "${FUZZ_PKGS[@]}"
        web_toolchain
        configure_build build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
            -DGRIDPLAN_FUZZ=ON -DBUILD_TESTING=OFF -DGRIDPLAN_BENCH=OFF
        shift
        tests/fuzz/run.sh "$@" ;;
    *)
        echo "usage: ./build.sh demo|test|install|build|asan|fuzz SECONDS" >&2
        exit 2 ;;
esac
