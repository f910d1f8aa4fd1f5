//! How an application tests its code that calls Graph, without a network:
//! the code under test takes a `Client`; the test builds one on a
//! `MockTransport`, queues the answers Graph would give, and checks both
//! what the code did with them and what it sent.
//!
//! Run it with `cargo run -p msgraph-runtime --example testing_with_a_mock --features testing`.

use bytes::Bytes;
use msgraph_runtime::testing::{graph_error, json_response, MockTransport};
use msgraph_runtime::{
    parse, Client, Error, Operation, OperationMetadata, PermissionSet, Permissions, RequestError,
    RequestParts, RetryPolicy, StaticToken, Target,
};

/// The application's own operation (the generated crate has one per
/// documented operation; this one is written by hand to keep the example
/// self-contained): GET /v1.0/users/{id}.
struct GetUser(String);

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    display_name: String,
}

impl Operation for GetUser {
    type Output = User;
    const METADATA: &'static OperationMetadata = &OperationMetadata {
        name: "getUser",
        version: "v1.0",
        method: "GET",
        paths: &["/users/{id}"],
        permissions: Permissions {
            delegated_work: PermissionSet::Supported {
                least: &["User.Read"],
                higher: &[],
            },
            delegated_personal: PermissionSet::Unsupported,
            application: PermissionSet::Supported {
                least: &["User.Read.All"],
                higher: &[],
            },
        },
        clouds: None,
        deprecated: false,
    };

    fn to_request(&self) -> Result<RequestParts, RequestError> {
        Ok(RequestParts::new(
            http::Method::GET,
            Target::Path {
                version_base: "/v1.0",
                path: format!("/users/{}", msgraph_runtime::path::segment("id", &self.0)?),
            },
        ))
    }

    fn parse_response(response: http::Response<Bytes>) -> Result<User, Error> {
        parse::json(response)
    }
}

/// The code under test: a greeting for a user, or a fallback when the user
/// is gone.
async fn greeting(client: &Client, user_id: &str) -> Result<String, Error> {
    match client.send(&GetUser(user_id.to_owned())).await {
        Ok(user) => Ok(format!("Hello, {}!", user.display_name)),
        Err(error) if error.code() == Some("Request_ResourceNotFound") => {
            Ok("Hello, whoever you are!".to_owned())
        }
        Err(error) => Err(error),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let mock = MockTransport::new();
    mock.push(json_response(
        200,
        serde_json::json!({ "displayName": "Adele Vance" }),
    ))
    .push(graph_error(
        404,
        "Request_ResourceNotFound",
        "Resource does not exist.",
    ));
    let client = Client::builder()
        .transport(mock.clone())
        .token_provider(StaticToken::new("test-token"))
        // Tests should not wait out backoff: answer throttling with errors.
        .retry_policy(RetryPolicy::none())
        .build()?;

    assert_eq!(greeting(&client, "adele").await?, "Hello, Adele Vance!");
    assert_eq!(
        greeting(&client, "gone/user").await?,
        "Hello, whoever you are!"
    );

    let sent = mock.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].uri, "https://graph.microsoft.com/v1.0/users/adele");
    // The id stayed one path segment.
    assert_eq!(sent[1].uri.path(), "/v1.0/users/gone%2Fuser");
    assert_eq!(sent[0].header("authorization"), Some("Bearer test-token"));
    println!(
        "the code under test sent {} requests and handled both answers",
        sent.len()
    );
    Ok(())
}
