//! Listing readers.

use pcsc::{Context, Error, Scope};

use crate::error::CardError;
use crate::pattern::matches_pattern;

/// A PC/SC context, or the error the kiosk shows.
pub(crate) fn establish() -> Result<Context, CardError> {
    Context::establish(Scope::User).map_err(CardError::Pcsc)
}

/// Reader names on `ctx` that match `pattern`; none at all is an empty list.
pub(crate) fn matching(ctx: &Context, pattern: &str) -> Result<Vec<String>, Error> {
    match ctx.list_readers_owned() {
        Ok(names) => Ok(names
            .into_iter()
            .filter_map(|n| n.into_string().ok())
            .filter(|n| matches_pattern(pattern, n))
            .collect()),
        Err(Error::NoReadersAvailable) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// The readers whose name matches `pattern` (`*`, `?`), e.g. `"Gemalto*"` or `"*"`. An empty
/// list when there are none; [`CardError::Pcsc`] when pcscd is not running.
pub fn list_readers(pattern: &str) -> Result<Vec<String>, CardError> {
    let ctx = establish()?;
    matching(&ctx, pattern).map_err(CardError::Pcsc)
}
