//! The runtime of the generated Microsoft Graph client.
//!
//! Generated operations describe requests and parse responses without doing
//! any I/O ([`Operation`]); this crate sends them: [`Client`] adds the token
//! and a `client-request-id`, retries on throttling within a deadline,
//! follows redirects and next links without ever carrying credentials to
//! another origin, reads response bodies within a limit, and turns failures
//! into one [`Error`] that shows no secret a URL carries.
//!
//! Beyond single calls: [`Batch`] sends any operations as JSON batches
//! (`$batch`), [`OperationExt`] and [`Request::header`] add headers and query
//! pairs a page does not document, `AzureCredential` (feature `azure`)
//! signs in through the Azure SDK with the scope of the client's cloud, and
//! `testing::MockTransport` (feature `testing`) lets an application's tests
//! run without a network.
//!
//! Features: `reqwest` (default) is the transport; `azure` adds
//! `AzureCredential` (it needs Rust 1.88, as `azure_core` does); `testing`
//! adds the `testing` module.
//!
//! ```no_run
//! # async fn run() -> Result<(), msgraph_runtime::Error> {
//! use msgraph_runtime::{Client, Cloud, StaticToken};
//!
//! let client = Client::builder()
//!     .cloud(Cloud::Global)
//!     .token_provider(StaticToken::new("eyJ0eXAi..."))
//!     .build()?;
//! # let _ = client; Ok(()) }
//! ```
#![deny(missing_docs)]

mod additions;
mod auth;
#[cfg(feature = "azure")]
mod azure;
mod batch;
mod body;
mod client;
mod endpoint;
mod error;
pub mod odata;
mod operation;
pub mod options;
mod paging;
mod patch;
pub mod path;
pub mod permissions;
mod pipeline;
mod request;
#[cfg(feature = "reqwest")]
mod reqwest_defaults;
mod response;
mod response_body;
mod retry;
mod stream;
#[cfg(feature = "testing")]
pub mod testing;
mod transport;
mod urls;
pub mod values;

pub use additions::{Customized, OperationExt};
pub use auth::{
    AccessToken, AuthError, StaticToken, TokenCache, TokenProvider, TokenRequest,
    DEFAULT_REFRESH_BEFORE_EXPIRY,
};
#[cfg(feature = "azure")]
pub use azure::AzureCredential;
pub use batch::{Batch, BatchItemId, BatchKey, BatchOutputs, MAX_BATCH_REQUESTS};
pub use body::Body;
pub use client::{Client, ClientBuilder, Sleep, TokioSleep, DEFAULT_DEADLINE, DEFAULT_MAX_PAGES};
pub use endpoint::{Cloud, Endpoint, EndpointError};
pub use error::{
    DecodeError, Error, GraphError, HttpError, InnerError, RequestError, TransportError,
};
pub use operation::{
    Operation, OperationMetadata, PermissionSet, PermissionType, Permissions, RequestParts,
    SuccessBody, Target,
};
pub use paging::Page;
pub use patch::Patch;
pub use request::{HasQueryOptions, QueryOptions, Request};
pub use response::{parse, Redirect, Response};
pub use response_body::{ResponseBody, DEFAULT_MAX_RESPONSE_BODY, MAX_ERROR_BODY};
pub use retry::RetryPolicy;
pub use stream::{Download, Upload};
#[cfg(feature = "reqwest")]
pub use transport::ReqwestTransport;
pub use transport::{BoxFuture, CredentialsWithheld, Transport};

/// Re-exported so generated code and consumers name the same versions.
pub use bytes;
/// Streams of pages and downloads read with `.next().await`, `.try_collect()`, ...
pub use futures_util::{StreamExt, TryStreamExt};
pub use http;
/// The date and time types of [`values`], to make and read typed values.
pub use jiff;
pub use serde;
pub use serde_json;
/// The GUID type of [`values::Guid`].
pub use uuid;
