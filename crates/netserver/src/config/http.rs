//! `[http]`: how the HTTP listener treats connections and the requests on them.

use serde::Deserialize;

/// The `[http]` section; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSection {}
