#!/usr/bin/env bash
# Build time of an application that uses one area of the generated crate:
# a program that deletes a participant and invites one (v1.0, feature
# `calls`), built from scratch with its dependencies, then the crate and
# program alone (dependencies built), then after touching the program.
#
#   benches/consumer-build.sh            # FEATURES="reqwest,v1_0,calls" by default
#   FEATURES="reqwest,v1_0,beta,calls,online-meetings,call-records,presence" benches/consumer-build.sh
#   CRATE=/path/to/an/older/generated benches/consumer-build.sh   # another crate, same program
#
# Not part of CI: it builds from scratch.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-$(mktemp -d /tmp/graphgen-consumer-XXXX)}
features=${FEATURES:-reqwest,v1_0,calls}
crate=${CRATE:-$root/generated}
export CARGO_TERM_COLOR=never
export CARGO_TARGET_DIR="$work/target"
mkdir -p "$work/app/src"
cat > "$work/app/Cargo.toml" <<TOML
[package]
name = "one-area-app"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
msgraph-client = { path = "$crate", default-features = false, features = [$(echo "$features" | sed 's/[^,]*/"&"/g')] }
tokio = { version = "1", default-features = false, features = ["macros", "rt"] }
[workspace]
TOML
cat > "$work/app/src/main.rs" <<'RS'
use msgraph_client::v1_0::models::{Identity, IdentitySet, InvitationParticipantInfo};
use msgraph_client::v1_0::operations::InviteParticipantsBody;
use msgraph_client::{Client, GraphClient, StaticToken};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("GRAPH_TOKEN")?;
    let client = GraphClient::new(Client::builder().token_provider(StaticToken::new(token)).build()?);
    let call = client.v1_0().communications().calls("call-id");
    call.participants("participant-id").delete().await?;
    let invitee = InvitationParticipantInfo::new(IdentitySet::new().user(Identity::new().id("user-id")));
    let body = BODY;
    let operation = call.participants_collection().invite().post(body).await?;
    println!("{:?}", operation.id);
    Ok(())
}
RS
# The crates before invite's `participants` became optional took it in `new`.
if grep -A3 "pub fn new(" "$crate/src/v1_0/operations/invite_participants.rs" | grep -q "participants: impl"; then
  sed -i 's/BODY/InviteParticipantsBody::new([invitee])/' "$work/app/src/main.rs"
else
  sed -i 's/BODY/InviteParticipantsBody::new().participants([invitee])/' "$work/app/src/main.rs"
fi
cp "$root/Cargo.lock" "$work/app/Cargo.lock"
manifest="$work/app/Cargo.toml"
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
echo "features: $features"
echo "from scratch (dependencies included): $(seconds cargo build -q --manifest-path "$manifest") s"
cargo clean -q --manifest-path "$manifest" -p msgraph-client -p one-area-app
echo "the crate and the program (dependencies built): $(seconds cargo build -q --manifest-path "$manifest") s"
touch "$work/app/src/main.rs"
echo "after touching the program: $(seconds cargo build -q --manifest-path "$manifest") s"
cargo build -q --release --manifest-path "$manifest"
echo "release binary: $(stat -c %s "$CARGO_TARGET_DIR/release/one-area-app") bytes"
