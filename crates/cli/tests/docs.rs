//! Completions and man pages come from the command-line definition.

mod common;

use common::tocsin;

#[test]
fn bash_completions_are_a_valid_script() {
    let out = tocsin().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    let script = String::from_utf8(out.stdout).unwrap();
    assert!(script.contains("send") && script.contains("channel"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tocsin.bash");
    std::fs::write(&path, &script).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
        .unwrap();
    assert!(check.success(), "bash cannot parse the completion script");
}

#[test]
fn completions_for_other_shells_are_not_empty() {
    for shell in ["zsh", "fish"] {
        let out = tocsin().args(["completions", shell]).output().unwrap();
        assert!(out.status.success() && !out.stdout.is_empty(), "{shell}");
    }
}

#[test]
fn man_pages_are_printed_or_written_per_command() {
    let out = tocsin().arg("man").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(".TH tocsin"));
    let dir = tempfile::tempdir().unwrap();
    let out = tocsin()
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(dir.path().join("tocsin.1").exists());
    assert!(dir.path().join("tocsin-send.1").exists());
}
