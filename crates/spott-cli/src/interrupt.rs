//! Interrupts, counted: Ctrl-C (SIGINT), and on Unix SIGTERM and SIGHUP
//! too (what systemd, docker, `timeout` and a closed terminal send), each
//! one a press. The handlers are installed at once (a signal that arrives
//! before the first poll still ends in a clean stop, not a killed process),
//! and every press raises a counter that any task can wait on.

use tokio::sync::watch;

use crate::exit::Failure;

/// How many interrupts have arrived; clone it to wait in several places.
#[derive(Clone, Debug)]
pub struct Interrupts {
    presses: watch::Receiver<u32>,
}

impl Interrupts {
    /// Installs the handlers now and starts counting.
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

    /// No interrupt, ever (for tests of what waits on them).
    #[cfg(test)]
    pub fn never() -> Self {
        let (_, presses) = watch::channel(0u32);
        Self { presses }
    }

    /// Interrupts so far.
    pub fn count(&self) -> u32 {
        *self.presses.borrow()
    }

    /// Waits until at least `presses` interrupts have arrived. Never
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

/// The platform's interrupts, as one stream of presses.
struct Signal {
    /// SIGINT, SIGTERM, SIGHUP.
    #[cfg(unix)]
    inner: [tokio::signal::unix::Signal; 3],
}

impl Signal {
    #[cfg(unix)]
    fn install() -> Result<Self, Failure> {
        use tokio::signal::unix::{SignalKind, signal};
        let listen = |kind: SignalKind, name: &str| {
            signal(kind).map_err(|e| Failure::Other(format!("cannot listen for {name}: {e}")))
        };
        Ok(Self {
            inner: [
                listen(SignalKind::interrupt(), "Ctrl-C")?,
                listen(SignalKind::terminate(), "SIGTERM")?,
                listen(SignalKind::hangup(), "SIGHUP")?,
            ],
        })
    }

    #[cfg(not(unix))]
    fn install() -> Result<Self, Failure> {
        Ok(Self {})
    }

    /// The next press; `false` when no more can come.
    #[cfg(unix)]
    async fn next(&mut self) -> bool {
        let [interrupt, terminate, hangup] = &mut self.inner;
        tokio::select! {
            got = interrupt.recv() => got.is_some(),
            got = terminate.recv() => got.is_some(),
            got = hangup.recv() => got.is_some(),
        }
    }

    /// The next press; `false` when no more can come.
    #[cfg(not(unix))]
    async fn next(&mut self) -> bool {
        tokio::signal::ctrl_c().await.is_ok()
    }
}
