//! Calls every seed operation through the generated client, as an
//! application outside this repository would. Against a base URL given as
//! the first argument (a local mock server, say); without one it only shows
//! that the calls build.

use msgraph_client::beta::models::MeetingRegistrant;
use msgraph_client::v1_0::models::{Identity, IdentitySet, InvitationParticipantInfo};
use msgraph_client::v1_0::operations::InviteParticipantsBody;
use msgraph_client::{Client, Error, GraphClient, StaticToken};

async fn run(client: &GraphClient) -> Result<(), Error> {
    client
        .v1_0()
        .communications()
        .calls("call-id")
        .participants("participant-id")
        .delete()
        .await?;
    let invited = client
        .v1_0()
        .communications()
        .calls("call-id")
        .participants_collection()
        .invite()
        .post(InviteParticipantsBody::new().participants([
            InvitationParticipantInfo::new(IdentitySet::new().user(Identity::new().id("user-id"))),
        ]))
        .await?;
    println!("invite operation: {:?}", invited.id);
    client
        .beta()
        .communications()
        .calls("call-id")
        .participants("participant-id")
        .delete()
        .await?;
    client
        .beta()
        .communications()
        .calls("call-id")
        .participants_collection()
        .invite()
        .post(
            msgraph_client::beta::operations::InviteParticipantsBody::new().participants(Vec::<
                msgraph_client::beta::models::InvitationParticipantInfo,
            >::new()),
        )
        .await?;
    #[allow(deprecated)]
    {
        let registrant = MeetingRegistrant::new().first_name("Foo");
        let enrolled = client
            .beta()
            .users("user-id")
            .online_meetings("meeting-id")
            .registration()
            .registrants_collection()
            .post(registrant)
            .await?;
        client
            .beta()
            .users("user-id")
            .online_meetings("meeting-id")
            .registration()
            .registrants(enrolled.id.unwrap_or_default())
            .delete()
            .await?;
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let Some(base_url) = std::env::args().nth(1) else {
        println!("the calls build; pass a base URL to send them");
        return Ok(());
    };
    let client = GraphClient::new(
        Client::builder()
            .base_url(&base_url)
            .token_provider(StaticToken::new("token"))
            .build()?,
    );
    run(&client).await
}
