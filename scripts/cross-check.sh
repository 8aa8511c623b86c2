#!/usr/bin/env bash
# What can be proven on this Debian machine about the Windows and macOS builds:
#   1. the CLI cross-compiles to Windows (x86_64-pc-windows-gnu, mingw-w64 from Debian),
#   2. the tests that need no browser pass under wine (Debian's wine64),
#   3. the Tauri app type-checks for Windows,
#   4. the crates without C type-check for macOS (x86_64-apple-darwin); those with C
#      (SQLCipher, OpenSSL, aws-lc) need Apple's clang and SDK, which are not here: the
#      script says so rather than hiding it.
# Not part of scripts/test.sh: mingw-w64 and wine are about 900 MB installed, and a
# Windows build of SQLCipher, OpenSSL and the CLI takes tens of minutes on two cores.
#   bash scripts/cross-check.sh [windows-build|windows-test|windows-app-check|macos-check]...
#   (default: all four)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(windows-build windows-test windows-app-check macos-check)

need_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

for step in "${steps[@]}"; do
  case $step in
    windows-build)
      need_apt gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix
      rustup target add x86_64-pc-windows-gnu >/dev/null
      # OpenSSL's Configure picks mingw64 from the target; the -posix compilers give
      # std::thread to SQLCipher's C.
      export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc-posix
      export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc-posix
      cargo build --locked --target x86_64-pc-windows-gnu -p exhibit-cli
      ls -l target/x86_64-pc-windows-gnu/debug/exhibit.exe
      ;;
    windows-test)
      need_apt gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix wine64
      export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc-posix
      export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc-posix
      # Debian's wine64 package puts its loader in /usr/lib/wine, not on the PATH (only
      # the `wine` package adds /usr/bin/wine).
      WINE=$(command -v wine64 || echo /usr/lib/wine/wine64)
      # A prefix of our own under target/, made on first use (a few seconds); no Mono or
      # Gecko installer prompts, no debug chatter.
      export WINEPREFIX=$PWD/target/wine-prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
      [ -d "$WINEPREFIX" ] || "$WINE" wineboot --init >/dev/null 2>&1 || true
      # Wine 8.0 lacks bcryptprimitives.dll, where Rust's std finds ProcessPrng: a
      # stand-in, in this prefix only (scripts/wine-bcryptprimitives.c says more).
      stub=$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll
      [ -f "$stub" ] || x86_64-w64-mingw32-gcc-posix -shared -O2 -s -o "$stub" \
        scripts/wine-bcryptprimitives.c -ladvapi32
      export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=$WINE
      # A Noto Sans CJK "installed for this user only" (%LOCALAPPDATA%\Microsoft\Windows\
      # Fonts), where the packet printer looks on Windows; wine has no Chinese font of
      # its own, and exhibit-pdf's layout tests measure Chinese text.
      fonts=$WINEPREFIX/drive_c/users/$(id -un)/AppData/Local/Microsoft/Windows/Fonts
      mkdir -p "$fonts"
      for f in NotoSansCJK-Regular.ttc NotoSansCJK-Bold.ttc; do
        [ -e "$fonts/$f" ] || ln -s "/usr/share/fonts/opentype/noto/$f" "$fonts/$f"
      done
      # Everything that needs no browser: the case file on disk under Windows' file
      # locks (exhibit-store), bundles written and verified (exhibit-bundle; its test that
      # runs unzip and sha256sum is ignored on Windows), the CLI's exe, extraction from
      # real pages, the venues' forms, the domain and the zip guard ...
      cargo test --locked --target x86_64-pc-windows-gnu --no-fail-fast \
        -p exhibit-cli -p exhibit-store -p exhibit-bundle -p exhibit-domain \
        -p exhibit-zipguard -p exhibit-extract -p exhibit-venues -p exhibit-defendants \
        -p exhibit-capture
      # ... the libraries' own tests, whose integration tests need what Windows has not
      # got here: exhibit-browser's start Chromium, exhibit-pdf's read the PDFs back with
      # poppler-utils and qpdf, exhibit-tsa's test TSA is the `openssl` command in a
      # folder whose path cannot hold a backslash ...
      cargo test --locked --target x86_64-pc-windows-gnu --no-fail-fast --lib \
        -p exhibit-browser -p exhibit-pdf -p exhibit-tsa
      # ... and WARC/WACZ reading and writing, but for the three tests that check our
      # WACZ against Python's warcio and py-wacz (python3 is not in wine).
      cargo test --locked --target x86_64-pc-windows-gnu --no-fail-fast -p exhibit-warc \
        --lib --test signature --test streaming --test wacz -- \
        --skip a_changed_byte_in_a_record_is_refused_naming_the_record \
        --skip export_passes_wacz_validate_and_warcio_check \
        --skip imports_a_warcio_crawl_packaged_by_py_wacz
      ;;
    windows-app-check)
      # The Tauri app type-checks for Windows (WebView2's bindings, the Windows-only
      # code); building its installer needs Windows (release.yml).
      need_apt gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix
      rustup target add x86_64-pc-windows-gnu >/dev/null
      export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc-posix
      export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc-posix
      cargo check --locked --target x86_64-pc-windows-gnu -p exhibit-app
      ;;
    macos-check)
      rustup target add x86_64-apple-darwin >/dev/null
      # The crates with no C in them type-check for macOS here: the browser finder
      # (/Applications), the packet printer and its font finder (PingFang, Hiragino),
      # extraction, venues, bundles.
      cargo check --locked --target x86_64-apple-darwin -p exhibit-domain \
        -p exhibit-zipguard -p exhibit-defendants -p exhibit-venues -p exhibit-extract \
        -p exhibit-pdf -p exhibit-browser -p exhibit-bundle
      # The rest compile C: SQLCipher (libsqlite3-sys), vendored OpenSSL and aws-lc.
      # Their build scripts call the C compiler as Apple's clang (-arch x86_64,
      # -mmacosx-version-min) against the macOS SDK's headers; Debian's gcc refuses
      # those flags and there is no SDK here. With a cross toolchain (osxcross), set
      # CC_x86_64_apple_darwin and this checks the CLI too.
      if [ -n "${CC_x86_64_apple_darwin:-}" ]; then
        cargo check --locked --target x86_64-apple-darwin -p exhibit-cli
      else
        echo "cross-check: exhibit-cli, exhibit-store, exhibit-tsa, exhibit-warc, exhibit-capture" \
          "and exhibit not checked for macOS: their C needs Apple's clang and the macOS SDK" \
          "(set CC_x86_64_apple_darwin to an osxcross compiler)" >&2
      fi
      ;;
    *) echo "cross-check: unknown step $step" >&2; exit 2 ;;
  esac
done
