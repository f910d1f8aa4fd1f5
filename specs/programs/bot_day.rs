// graphgen: features = reqwest, v1_0, calls, call-records, online-meetings
//! A calling bot's day: answer an incoming call, play a prompt, listen for tones, invite and mute a colleague, transfer the caller, list the participants page by page and hang up; then read the call record and stream the meeting's recording and transcript to files.
//!
//! Each step is one typed call; the bot learns the outcome of the actions
//! (`commsOperation`s) from the notifications Graph posts to its callback
//! URL, which this program leaves to the bot's web server.
//!
//! ```sh
//! GRAPH_TOKEN=<app token> cargo run --example bot_day -- \
//!     <callId> <callbackUri> <inviteeUserId> <transferTargetUserId> \
//!     <callRecordId> <organizerUserId> <meetingId> <recordingId> <transcriptId> <outputDir>
//! ```
//!
//! `GRAPH_BASE_URL` sends the calls to another server than Graph's (a local
//! test server, say).

use std::path::{Path, PathBuf};

use msgraph_client::runtime::Download;
use msgraph_client::runtime::StreamExt;
use msgraph_client::v1_0::models::{
    CallRecord, Identity, IdentitySet, InvitationParticipantInfo, MediaInfo, MediaPrompt,
    ServiceHostedMediaConfig,
};
use msgraph_client::v1_0::operations::{
    AnswerCallBody, InviteParticipantsBody, MuteParticipantBody, PlayPromptCallBody,
    SubscribeToToneCallBody, TransferCallBody,
};
use msgraph_client::{Client, GraphClient, StaticToken};

/// What the bot is told about its day: the call Graph notified it of, and
/// the people and meeting it deals with.
pub struct Day {
    pub call_id: String,
    pub callback_uri: String,
    pub invitee_user_id: String,
    pub transfer_target_user_id: String,
    pub call_record_id: String,
    pub organizer_user_id: String,
    pub meeting_id: String,
    pub recording_id: String,
    pub transcript_id: String,
    pub output_dir: PathBuf,
}

/// What the day produced.
#[derive(Debug)]
pub struct Report {
    /// The participants listed before hanging up, over every page.
    pub participants: usize,
    /// How many pages the list took.
    pub participant_pages: usize,
    /// The call record read after the call.
    pub call_record: CallRecord,
    /// Bytes of the recording and of the transcript written to `output_dir`.
    pub recording_bytes: u64,
    pub transcript_bytes: u64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: GRAPH_TOKEN=<app token> cargo run --example bot_day -- <callId> <callbackUri> <inviteeUserId> <transferTargetUserId> <callRecordId> <organizerUserId> <meetingId> <recordingId> <transcriptId> <outputDir>";
    let Ok(token) = std::env::var("GRAPH_TOKEN") else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [call_id, callback_uri, invitee, transfer_target, call_record_id, organizer, meeting_id, recording_id, transcript_id, output_dir] =
        arguments.as_slice()
    else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let mut builder = Client::builder().token_provider(StaticToken::new(token));
    if let Ok(base_url) = std::env::var("GRAPH_BASE_URL") {
        builder = builder.base_url(&base_url);
    }
    let client = GraphClient::new(builder.build()?);
    let day = Day {
        call_id: call_id.clone(),
        callback_uri: callback_uri.clone(),
        invitee_user_id: invitee.clone(),
        transfer_target_user_id: transfer_target.clone(),
        call_record_id: call_record_id.clone(),
        organizer_user_id: organizer.clone(),
        meeting_id: meeting_id.clone(),
        recording_id: recording_id.clone(),
        transcript_id: transcript_id.clone(),
        output_dir: PathBuf::from(output_dir),
    };
    let report = run(&client, &day).await?;
    println!(
        "{} participants on {} pages; call record {:?}; recording {} bytes, transcript {} bytes",
        report.participants,
        report.participant_pages,
        report.call_record.id,
        report.recording_bytes,
        report.transcript_bytes
    );
    Ok(())
}

/// The bot's day, call by call.
pub async fn run(client: &GraphClient, day: &Day) -> Result<Report, Box<dyn std::error::Error>> {
    let graph = client.v1_0();
    let call = graph.communications().calls(&day.call_id);

    // Answer with service-hosted media: Graph plays and records the audio.
    call.answer()
        .post(
            AnswerCallBody::new(["audio"], ServiceHostedMediaConfig::new())
                .callback_uri(&day.callback_uri),
        )
        .await?;

    // Greet the caller, then listen for the keys they press.
    let greeting = MediaPrompt::new().media_info(
        MediaInfo::new()
            .uri("https://bot.example.com/prompts/welcome.wav")
            .resource_id("welcome"),
    );
    call.play_prompt()
        .post(
            PlayPromptCallBody::new()
                .prompts([greeting])
                .client_context("greeting"),
        )
        .await?;
    call.subscribe_to_tone()
        .post(SubscribeToToneCallBody::new().client_context("tones"))
        .await?;

    // Bring a colleague in, and mute them while the caller explains.
    let colleague = user(&day.invitee_user_id);
    call.participants_collection()
        .invite()
        .post(
            InviteParticipantsBody::new()
                .participants([
                    InvitationParticipantInfo::new(colleague).participant_id("colleague")
                ])
                .client_context("invite"),
        )
        .await?;
    call.participants("colleague")
        .mute()
        .post(MuteParticipantBody::new().client_context("mute"))
        .await?;

    // Hand the caller over to the right person.
    call.transfer()
        .post(
            TransferCallBody::new().transfer_target(InvitationParticipantInfo::new(user(
                &day.transfer_target_user_id,
            ))),
        )
        .await?;

    // Who is on the call: every page of the participants collection.
    let request = call.participants_collection().get();
    let mut pages = std::pin::pin!(request.pages());
    let (mut participants, mut participant_pages) = (0, 0);
    while let Some(page) = pages.next().await {
        let page = page?;
        participant_pages += 1;
        participants += page.value.len();
    }

    // Hang up.
    call.delete().await?;

    // After the call: its record, then the meeting's recording and
    // transcript, streamed to disk chunk by chunk.
    let call_record = graph
        .communications()
        .call_records(&day.call_record_id)
        .get()
        .await?;
    let meeting = graph
        .users(&day.organizer_user_id)
        .online_meetings(&day.meeting_id);
    let recording = meeting
        .recordings(&day.recording_id)
        .content()
        .get()
        .await?;
    let recording_bytes = save(recording, &day.output_dir.join("recording.mp4")).await?;
    let transcript = meeting
        .transcripts(&day.transcript_id)
        .content()
        .get()
        .await?;
    let transcript_bytes = save(transcript, &day.output_dir.join("transcript.vtt")).await?;
    Ok(Report {
        participants,
        participant_pages,
        call_record,
        recording_bytes,
        transcript_bytes,
    })
}

/// A user of the tenant, as a call names its participants.
fn user(id: &str) -> IdentitySet {
    IdentitySet::new().user(Identity::new().id(id))
}

/// Writes a download to `path` as it arrives, never holding it whole.
async fn save(mut download: Download, path: &Path) -> Result<u64, Box<dyn std::error::Error>> {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut written = 0;
    while let Some(chunk) = download.chunk().await {
        let chunk = chunk?;
        file.write_all(&chunk)?;
        written += chunk.len() as u64;
    }
    file.flush()?;
    Ok(written)
}
