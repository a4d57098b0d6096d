//! Link settings of the release `tocsin` binary, both for resident memory
//! (ARCHITECTURE.md, "Deliberate choices"; BENCHMARKS.md, "What bounds each figure").
//!
//! - `link-order.txt`: the functions that run at start, while idle, in `tocsin send` and
//!   under load are placed together at the front of the text segment, so the kernel's
//!   fault-around maps them and not the rest of the binary. Made by
//!   `scripts/link-order.sh`; names the binary no longer has are skipped, and
//!   `scripts/link_order.py check` (run by `.ci/run`) fails when too many are gone.
//! - Packed relative relocations (DT_RELR): the position-independent binary's 30,000
//!   relative relocations take 9 KiB instead of 720 KiB that the dynamic loader reads at
//!   every start. Needs glibc 2.36 at run time, so only when building for the machine
//!   the build runs on and its glibc has it.
//!
//! Both only for release builds on x86_64 Linux with the toolchain's own linker (LLD, the
//! default there since Rust 1.90): the symbol ordering file is an LLD option.

use std::env;
use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=link-order.txt");
    let target = env::var("TARGET").unwrap_or_default();
    let profile = env::var("PROFILE").unwrap_or_default();
    if target != "x86_64-unknown-linux-gnu" || profile != "release" || !default_linker() {
        return;
    }
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let order = Path::new(&manifest).join("link-order.txt");
    if order.is_file() {
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            order.display()
        );
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
    if env::var("HOST").is_ok_and(|host| host == target) && glibc_has_relr() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// Whether the link uses rustc's default linker for the target: no linker named in the
/// Cargo configuration and none chosen through rustflags.
fn default_linker() -> bool {
    if env::var_os("RUSTC_LINKER").is_some() {
        return false;
    }
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    !flags.split('\x1f').any(|flag| {
        flag.contains("linker") || flag.contains("fuse-ld") || flag.contains("link-self-contained")
    })
}

/// glibc 2.36 or later on this machine (`getconf GNU_LIBC_VERSION` prints `glibc 2.36`).
fn glibc_has_relr() -> bool {
    let Ok(out) = Command::new("getconf").arg("GNU_LIBC_VERSION").output() else {
        return false;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let Some(version) = text.trim().strip_prefix("glibc ") else {
        return false;
    };
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (2, 36)
}
