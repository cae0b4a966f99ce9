//! Newline-delimited JSON-RPC over a byte stream (stdin/stdout, or any pipe).
//!
//! Requests run concurrently, up to the session's `max_in_flight`: at the cap the reader
//! waits for a call to end (back-pressure through the pipe, not refusals). Responses and
//! notifications go through one writer so lines never interleave. Nothing but protocol messages is written. At end of input the
//! transport stops reading and gives requests in flight `shutdown_grace` to finish, then
//! cancels them; it flushes what is left for as long again, and returns whether or not the
//! client still reads (a process must exit at end of input, whatever came before).

use crate::context::{Outbound, TransportKind};
use crate::dispatch::{Connection, Received};
use crate::protocol::{RpcError, response_error};
use crate::session::Session;
use crate::shared::Shared;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

/// Messages queued for the writer before senders wait (back-pressure, not unbounded memory).
const WRITE_QUEUE: usize = 1024;

/// While reading is held back, how often the reader looks whether it may go on.
const HOLD_BACK_POLL: Duration = Duration::from_millis(10);

/// How long cancelled calls get to stop once the grace period is over.
const CANCEL_SETTLE: Duration = Duration::from_millis(500);

/// Where response lines go.
pub(crate) trait Output: Send + 'static {
    /// Starts writing the lines `lines` yields, in order; the outcome comes when the
    /// channel closes or a write fails.
    fn start(self, lines: mpsc::Receiver<String>) -> oneshot::Receiver<std::io::Result<()>>;
}

/// Any async writer, written on a task.
pub(crate) struct AsyncOutput<W>(pub W);

impl<W: AsyncWrite + Unpin + Send + 'static> Output for AsyncOutput<W> {
    fn start(self, lines: mpsc::Receiver<String>) -> oneshot::Receiver<std::io::Result<()>> {
        let (done, outcome) = oneshot::channel();
        // Buffered: a line per write(2) halves throughput; `write_lines` flushes after each
        // batch of what is queued, so nothing waits in the buffer.
        let writer = tokio::io::BufWriter::new(self.0);
        tokio::spawn(async move {
            let _ = done.send(write_lines(lines, writer).await);
        });
        outcome
    }
}

/// This process's stdout, written on a thread of its own. Not Tokio's `Stdout`: its writes
/// run on the runtime's blocking pool, and a runtime waits for those when it is dropped, so
/// a client that stops reading would keep the process from ever exiting. A thread blocked
/// on a full pipe does not outlive `main`.
pub(crate) struct StdoutOutput;

impl Output for StdoutOutput {
    fn start(self, lines: mpsc::Receiver<String>) -> oneshot::Receiver<std::io::Result<()>> {
        let (done, outcome) = oneshot::channel();
        let spawned = std::thread::Builder::new()
            .name("mcp-stdout".into())
            .spawn(move || {
                let _ = done.send(write_lines_blocking(lines, &std::io::stdout()));
            });
        if let Err(error) = spawned {
            tracing::error!(%error, "could not start the stdout writer");
        }
        outcome
    }
}

pub(crate) async fn serve<R, O>(server: Arc<Shared>, reader: R, output: O) -> std::io::Result<()>
where
    R: AsyncRead + Unpin,
    O: Output,
{
    server.start_maintenance();
    let grace = server.config.shutdown_grace;
    let (sender, receiver) = mpsc::channel::<String>(WRITE_QUEUE);
    let written = output.start(receiver);
    let principal = server.config.stdio_principal.clone();
    let max_bytes = server.config.max_request_bytes;
    let cap = server.config.session_limits.requests_in_flight;
    let outbound = Outbound::new(sender.clone());
    let session = Arc::new(Session::new(
        Some(outbound.clone()),
        server.config.session_limits,
    ));
    server.register_connection(&session);
    let connection = Connection::new(server, session, outbound, TransportKind::Stdio, principal);

    let mut reader = BufReader::new(reader);
    let mut line = Vec::new();
    let mut in_flight = JoinSet::new();
    let read = loop {
        // Back-pressure rather than refusals: at the cap, nothing more is read until a call
        // ends, so the pipe fills and the client's writes wait. Looked at again every
        // `HOLD_BACK_POLL`, as a call may meanwhile ask the client something, whose answer
        // is behind what is not read yet.
        // Every request in flight is a task of `in_flight` (or was answered already): below
        // the cap in tasks, no lock needs taking to know the session has room.
        while in_flight.len() >= cap && connection.should_hold_back() {
            if in_flight.is_empty() {
                tokio::time::sleep(HOLD_BACK_POLL).await;
                continue;
            }
            tokio::select! {
                _ = in_flight.join_next() => {}
                () = tokio::time::sleep(HOLD_BACK_POLL) => {}
            }
        }
        line.clear();
        let read = (&mut reader)
            .take(max_bytes as u64 + 1)
            .read_until(b'\n', &mut line)
            .await;
        match read {
            Ok(0) => break Ok(()),
            Ok(_) => {}
            Err(error) => break Err(error),
        }
        if line.len() > max_bytes && !line.ends_with(b"\n") {
            if let Err(error) = skip_rest_of_line(&mut reader).await {
                break Err(error);
            }
            let error = RpcError::invalid_request(format!(
                "invalid request: message exceeds {max_bytes} bytes"
            ));
            let _ = sender.send(response_error(None, &error)).await;
            continue;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match connection.receive(&line) {
            Received::Nothing => {}
            Received::Respond(response) => {
                let _ = sender.send(response).await;
            }
            Received::Pending(pending) => {
                let sender = sender.clone();
                in_flight.spawn(async move {
                    if let Some(response) = pending.await {
                        let _ = sender.send(response).await;
                    }
                });
            }
        }
        // Reap finished requests so the set stays as small as what is really in flight.
        while in_flight.try_join_next().is_some() {}
    };
    // Subscription streams would never end by themselves: they end here. Calls get the
    // grace period, then are cancelled; one that ignores its cancellation is dropped.
    let deadline = tokio::time::Instant::now() + grace;
    connection.end_subscriptions();
    if tokio::time::timeout_at(deadline, drain(&mut in_flight))
        .await
        .is_err()
    {
        tracing::warn!(?grace, "end of input: cancelling the calls still running");
        connection.cancel_all();
        if tokio::time::timeout(CANCEL_SETTLE, drain(&mut in_flight))
            .await
            .is_err()
        {
            in_flight.abort_all();
        }
    }
    drop(connection);
    drop(sender);
    // What is written goes out within the same grace, unless the client stopped reading:
    // then it is given up.
    let flush_by = deadline.max(tokio::time::Instant::now() + CANCEL_SETTLE);
    match tokio::time::timeout_at(flush_by, written).await {
        Ok(Ok(outcome)) => outcome.and(read),
        Ok(Err(_)) => read,
        Err(_) => {
            tracing::warn!("end of input: the client does not read the last answers; giving up");
            read
        }
    }
}

async fn drain(in_flight: &mut JoinSet<()>) {
    while in_flight.join_next().await.is_some() {}
}

async fn skip_rest_of_line<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> std::io::Result<()> {
    loop {
        let buffer = reader.fill_buf().await?;
        if buffer.is_empty() {
            return Ok(());
        }
        match buffer.iter().position(|&b| b == b'\n') {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(());
            }
            None => {
                let len = buffer.len();
                reader.consume(len);
            }
        }
    }
}

/// `write_lines` for a blocking writer: each batch of what is queued in one write(2), the
/// writer locked only for it (a stray `println!` elsewhere waits its turn, not forever).
fn write_lines_blocking(
    mut lines: mpsc::Receiver<String>,
    stdout: &std::io::Stdout,
) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut batch = Vec::with_capacity(64 * 1024);
    while let Some(message) = lines.blocking_recv() {
        batch.clear();
        batch.extend_from_slice(message.as_bytes());
        batch.push(b'\n');
        while let Ok(next) = lines.try_recv() {
            batch.extend_from_slice(next.as_bytes());
            batch.push(b'\n');
        }
        let mut out = stdout.lock();
        out.write_all(&batch)?;
        out.flush()?;
    }
    Ok(())
}

async fn write_lines<W: AsyncWrite + Unpin>(
    mut receiver: mpsc::Receiver<String>,
    mut writer: W,
) -> std::io::Result<()> {
    while let Some(mut message) = receiver.recv().await {
        message.push('\n');
        writer.write_all(message.as_bytes()).await?;
        // Batch what is already queued into one flush.
        while let Ok(mut next) = receiver.try_recv() {
            next.push('\n');
            writer.write_all(next.as_bytes()).await?;
        }
        writer.flush().await?;
    }
    writer.flush().await
}
