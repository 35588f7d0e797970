//! Ctrl-C, counted: the handler is installed at once (a signal that
//! arrives before the first poll still ends in a clean stop, not a killed
//! process), and every press raises a counter that any task can wait on.

use tokio::sync::watch;

use crate::exit::Failure;

/// How many times Ctrl-C has been pressed; clone it to wait in several
/// places.
#[derive(Clone, Debug)]
pub struct Interrupts {
    presses: watch::Receiver<u32>,
}

impl Interrupts {
    /// Installs the handler now and starts counting.
    pub fn listen() -> Result<Self, Failure> {
        let (sender, presses) = watch::channel(0u32);
        let mut signal = Signal::install()?;
        tokio::spawn(async move {
            while signal.next().await {
                sender.send_modify(|count| *count = count.saturating_add(1));
                if sender.is_closed() {
                    break;
                }
            }
        });
        Ok(Self { presses })
    }

    /// Presses so far.
    pub fn count(&self) -> u32 {
        *self.presses.borrow()
    }

    /// Waits until Ctrl-C has been pressed at least `presses` times. Never
    /// completes if the listener is gone.
    pub async fn reached(&mut self, presses: u32) {
        if self
            .presses
            .wait_for(|count| *count >= presses)
            .await
            .is_err()
        {
            std::future::pending::<()>().await;
        }
    }
}

/// The platform's Ctrl-C, as a stream of presses.
struct Signal {
    #[cfg(unix)]
    inner: tokio::signal::unix::Signal,
}

impl Signal {
    #[cfg(unix)]
    fn install() -> Result<Self, Failure> {
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
            .map(|inner| Self { inner })
            .map_err(|e| Failure::Other(format!("cannot listen for Ctrl-C: {e}")))
    }

    #[cfg(not(unix))]
    fn install() -> Result<Self, Failure> {
        Ok(Self {})
    }

    /// The next press; `false` when no more can come.
    #[cfg(unix)]
    async fn next(&mut self) -> bool {
        self.inner.recv().await.is_some()
    }

    /// The next press; `false` when no more can come.
    #[cfg(not(unix))]
    async fn next(&mut self) -> bool {
        tokio::signal::ctrl_c().await.is_ok()
    }
}
