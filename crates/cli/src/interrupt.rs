//! Ctrl-C, with the handler installed at once: a signal that arrives
//! before the first poll still ends in a clean stop, not a killed process.

use std::future::Future;

use crate::exit::Failure;

/// A future that completes on Ctrl-C, with the handler installed now.
#[cfg(unix)]
pub fn interrupt_listener() -> Result<impl Future<Output = ()>, Failure> {
    let mut signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
        .map_err(|e| Failure::Other(format!("cannot listen for Ctrl-C: {e}")))?;
    Ok(async move {
        signal.recv().await;
    })
}

/// A future that completes on Ctrl-C.
#[cfg(not(unix))]
pub fn interrupt_listener() -> Result<impl Future<Output = ()>, Failure> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
