//! `spott mock`: the mock server in the foreground until Ctrl-C.

use std::time::Duration;

use spott_saleshandy_mock::{FaultConfig, MockConfig, RateLimit};

use crate::args::MockArgs;
use crate::context::start_mock;
use crate::exit::Failure;
use crate::interrupt::Interrupts;
use crate::output::say;

/// Runs the mock until Ctrl-C.
pub async fn run(args: &MockArgs) -> Result<(), Failure> {
    let mut faults = FaultConfig::none();
    if let Some(limit) = &args.rate_limit {
        let limit: RateLimit = limit
            .parse()
            .map_err(|e| Failure::Input(format!("--rate-limit: {e}")))?;
        faults = faults.rate_limit(limit);
    }
    if let Some(rate) = args.fail_rate {
        if !(0.0..=1.0).contains(&rate) {
            return Err(Failure::Input(format!(
                "--fail-rate: {rate} is not between 0 and 1"
            )));
        }
        faults = faults.error_rate(rate);
    }
    if let Some(ms) = args.latency_ms {
        faults = faults.latency(Duration::from_millis(ms));
    }
    if let Some(seed) = args.seed {
        faults = faults.seed(seed);
    }
    let mut config = MockConfig::new().port(args.port).faults(faults);
    if let Some(key) = &args.api_key {
        config = config.api_key(key.clone());
    }
    // Listen for Ctrl-C before saying we are up, so a script that reads the
    // line and then interrupts always gets a clean shutdown.
    let mut interrupts = Interrupts::listen()?;
    let mock = start_mock(config).await?;
    let keys = if args.api_key.is_some() {
        "the key given"
    } else {
        "any non-empty x-api-key"
    };
    say!(
        "mock server on {} (Spott and Saleshandy, {keys}); Ctrl-C stops it",
        mock.url()
    )?;
    interrupts.reached(1).await;
    mock.shutdown().await;
    Ok(())
}
