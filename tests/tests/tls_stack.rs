//! TLS is rustls: no OpenSSL or native-tls anywhere in the dependency graph,
//! so every build verifies certificates the same way on every machine.

fn locked_packages() -> Vec<String> {
    let lock = std::fs::read_to_string(workspace_tests::workspace_root().join("Cargo.lock"))
        .expect("the workspace has a Cargo.lock");
    lock.lines()
        .filter_map(|line| line.strip_prefix("name = \""))
        .map(|rest| rest.trim_end_matches('"').to_owned())
        .collect()
}

#[test]
fn the_tls_stack_is_rustls_only() {
    let packages = locked_packages();
    assert!(packages.iter().any(|p| p == "rustls"), "rustls is locked");
    for forbidden in ["openssl", "openssl-sys", "native-tls"] {
        assert!(
            !packages.iter().any(|p| p == forbidden),
            "{forbidden} is in Cargo.lock"
        );
    }
}
