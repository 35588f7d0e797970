//! `spott mock`: the mock server in the foreground until Ctrl-C.

use api_mock::{FaultConfig, MockConfig, RateLimit};

use crate::args::MockArgs;
use crate::context::start_mock;
use crate::exit::Failure;
use crate::interrupt::interrupt_listener;

/// Runs the mock until Ctrl-C.
pub async fn run(args: MockArgs) -> Result<(), Failure> {
    let mut faults = FaultConfig::none();
    if let Some(limit) = &args.rate_limit {
        let limit: RateLimit = limit
            .parse()
            .map_err(|e| Failure::Input(format!("--rate-limit: {e}")))?;
        faults = faults.rate_limit(limit);
    }
    if let Some(rate) = args.fail_rate {
        if !(0.0..=1.0).contains(&rate) {
            return Err(Failure::Input(
                "--fail-rate: must be between 0 and 1".into(),
            ));
        }
        faults = faults.error_rate(rate);
    }
    if let Some(seed) = args.seed {
        faults = faults.seed(seed);
    }
    let mock = start_mock(MockConfig::new().port(args.port).faults(faults)).await?;
    // Listen for Ctrl-C before saying we are up, so a script that reads the
    // line and then interrupts always gets a clean shutdown.
    let interrupted = interrupt_listener()?;
    println!(
        "mock server on {} (any non-empty x-api-key); Ctrl-C stops it",
        mock.url()
    );
    interrupted.await;
    mock.shutdown().await;
    Ok(())
}
