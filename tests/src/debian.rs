//! Programs the tests run from Debian's packages (redis-server, Chromium): found on the
//! PATH, or installed once when the tests run as root with apt-get at hand (a fresh CI
//! machine). Elsewhere the test fails, saying which package to install.

use std::process::{Command, Stdio};
use std::sync::Mutex;

/// Fails the test unless every program in `programs` answers `--version`, installing
/// `packages` first if it can. `purpose` says what the tests need them for.
pub fn require(programs: &[&str], packages: &[&str], purpose: &str) {
    // One attempt per package set, whatever number of tests ask.
    static OUTCOMES: Mutex<Vec<(String, Result<(), String>)>> = Mutex::new(Vec::new());
    let key = packages.join(" ");
    let mut outcomes = OUTCOMES.lock().unwrap_or_else(|e| e.into_inner());
    let known = outcomes
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, o)| o.clone());
    let outcome = known.unwrap_or_else(|| {
        let outcome = find_or_install(programs, packages, purpose);
        outcomes.push((key.clone(), outcome.clone()));
        outcome
    });
    if let Err(why) = outcome {
        panic!(
            "{} not installed and {why}: run `apt-get install -y {key}` ({purpose})",
            programs.join(" and ")
        );
    }
}

fn find_or_install(programs: &[&str], packages: &[&str], purpose: &str) -> Result<(), String> {
    if programs.iter().all(|p| answers(p)) {
        return Ok(());
    }
    install(packages, purpose)?;
    match programs.iter().find(|p| !answers(p)) {
        Some(missing) => Err(format!("{missing} is still missing after installing")),
        None => Ok(()),
    }
}

fn answers(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn install(packages: &[&str], purpose: &str) -> Result<(), String> {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if !root || !answers("apt-get") {
        return Err("this is not a Debian machine the tests run on as root".into());
    }
    eprintln!("installing Debian's {} ({purpose})", packages.join(", "));
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let update = || {
        Command::new("apt-get")
            .args(["update", "-qq"])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if apt(&["install", "-y", "-qq"]) || (update() && apt(&["install", "-y", "-qq"])) {
        Ok(())
    } else {
        Err("installing it with apt-get failed".into())
    }
}
