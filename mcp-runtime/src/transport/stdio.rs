//! Newline-delimited JSON-RPC over a byte stream (stdin/stdout, or any pipe).
//!
//! Requests run concurrently; responses and notifications go through one writer task so
//! lines never interleave. Nothing but protocol messages is written. At end of input the
//! transport stops reading, lets requests in flight finish, flushes and returns.

use crate::context::{Outbound, TransportKind};
use crate::dispatch::{Connection, Received};
use crate::protocol::{RpcError, response_error};
use crate::session::Session;
use crate::shared::Shared;
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// Messages queued for the writer before senders wait (back-pressure, not unbounded memory).
const WRITE_QUEUE: usize = 1024;

pub(crate) async fn serve<R, W>(server: Arc<Shared>, reader: R, writer: W) -> std::io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin + Send + 'static,
{
    server.start_maintenance();
    let (sender, receiver) = mpsc::channel::<String>(WRITE_QUEUE);
    // Buffered: a line per write(2) halves throughput; `write_lines` flushes after each
    // batch of what is queued, so nothing waits in the buffer.
    let writer_task = tokio::spawn(write_lines(receiver, tokio::io::BufWriter::new(writer)));
    let principal = server.config.stdio_principal.clone();
    let max_bytes = server.config.max_request_bytes;
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
    loop {
        line.clear();
        let read = (&mut reader)
            .take(max_bytes as u64 + 1)
            .read_until(b'\n', &mut line)
            .await?;
        if read == 0 {
            break;
        }
        if line.len() > max_bytes && !line.ends_with(b"\n") {
            skip_rest_of_line(&mut reader).await?;
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
    }
    // Calls in flight finish; subscription streams would never, so they end here.
    connection.end_subscriptions();
    while in_flight.join_next().await.is_some() {}
    drop(connection);
    drop(sender);
    writer_task.await.map_err(std::io::Error::other)?
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
