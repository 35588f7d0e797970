//! Captures every `tracing` event and span and every `log` record of the
//! calls a test makes, for tests that prove something never reaches the
//! logs (the key in `secrets.rs`, personal data in `personal_data.rs`).
//!
//! Capture goes through one global subscriber for the whole test binary,
//! installed before any test hits a callsite. A subscriber set with
//! `tracing::subscriber::set_default` is not enough: it is thread-local, but
//! tracing caches each callsite's interest globally, and while it is the
//! only dispatcher registered, a callsite first hit by another test's thread
//! is cached as uninteresting (asked of that thread's default, which has no
//! subscriber), so the capturing test silently loses those spans and events.
//! The global subscriber writes into the buffer of the thread that logs, if
//! that thread's test captures: a `#[tokio::test]` runs its client on its
//! own thread, and the test servers' threads are not captured.

use std::cell::RefCell;
use std::io::Write;
use std::sync::{Arc, Mutex, Once};

use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

thread_local! {
    /// Where output logged on this thread goes while a test captures it.
    static SINK: RefCell<Option<Captured>> = const { RefCell::new(None) };
}

/// The global subscriber's writer: the buffer of the thread that logs.
struct ThreadSink;

struct SinkWriter(Option<Captured>);

impl Write for SinkWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Some(captured) = &self.0 {
            captured.0.lock().unwrap().extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for ThreadSink {
    type Writer = SinkWriter;
    fn make_writer(&'a self) -> Self::Writer {
        SinkWriter(SINK.try_with(|sink| sink.borrow().clone()).ok().flatten())
    }
}

/// Installs, once, the global subscriber at TRACE (span closes included,
/// with their fields) and the bridge that turns `log` records (reqwest
/// logs through `log`) into its events. Every test of a binary that
/// captures calls it (through [`Capture::start`] or directly) before
/// anything else, so no callsite is registered without it.
pub fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        tracing_log::LogTracer::builder()
            .with_max_level(tracing_log::log::LevelFilter::Trace)
            .init()
            .expect("no other `log` logger is installed");
        tracing::subscriber::set_global_default(
            tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_writer(ThreadSink)
                .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
                .with_ansi(false)
                .finish(),
        )
        .expect("no other global subscriber is installed");
    });
}

/// Everything logged on this thread while it lives.
pub struct Capture(Captured);

impl Capture {
    pub fn start() -> Capture {
        install();
        let captured = Captured::default();
        SINK.with(|sink| *sink.borrow_mut() = Some(captured.clone()));
        Capture(captured)
    }

    /// What was logged on this thread so far.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.0.lock().unwrap().clone()).unwrap()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let _ = SINK.try_with(|sink| sink.borrow_mut().take());
    }
}
