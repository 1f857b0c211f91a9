//! Connections are held to limits, over real TCP: a client that trickles its headers (slow loris) or sits
//! idle is dropped after the header timeout, a body that stops arriving is answered 408, a response nobody
//! reads stops being written, and past the connection cap new connections wait for a free place.

use crate::common;

use common::TestApp;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use vinano_server::serve::ConnLimits;

/// Short limits, so the tests don't wait long.
fn limits() -> ConnLimits {
    ConnLimits {
        max_connections: 50,
        header_timeout: Duration::from_millis(700),
        idle_timeout: Duration::from_millis(700),
        body_timeout: Duration::from_secs(3),
    }
}

/// Reads until the server closes the connection (or `within` passes: then `None`), returning what came.
async fn read_to_close(tcp: &mut TcpStream, within: Duration) -> Option<String> {
    let mut out = Vec::new();
    match tokio::time::timeout(within, tcp.read_to_end(&mut out)).await {
        Ok(_) => Some(String::from_utf8_lossy(&out).into_owned()),
        Err(_) => None,
    }
}

#[tokio::test]
async fn a_slow_loris_client_is_dropped_after_the_header_timeout() {
    let app = TestApp::with_config(|c| c.connections = limits()).await;
    let (addr, _stop, _server) = common::serve(app.state.clone(), None, limits()).await;

    // Half a request line, then a header a byte at a time, slower than the timeout allows in total.
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    tcp.write_all(b"GET /api/v1/policy HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let trickle = async {
        for byte in b"X-Slow: aaaaaaaaaaaaaaaaaaaa" {
            if tcp.write_all(&[*byte]).await.is_err() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    };
    let cut_off = trickle.await;
    let rest = read_to_close(&mut tcp, Duration::from_secs(10)).await;
    assert!(cut_off || rest.is_some(), "the connection was still open after trickling for 2.8 s");
    if let Some(rest) = rest {
        assert!(!rest.contains("200 OK"), "no answer to an unfinished request: {rest}");
    }

    // A connection that never sends anything is closed as well.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    assert!(
        read_to_close(&mut idle, Duration::from_secs(10)).await.is_some(),
        "an idle connection stayed open"
    );

    // Meanwhile an ordinary request is answered.
    let mut ok = TcpStream::connect(addr).await.unwrap();
    ok.write_all(b"GET /api/v1/policy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    let answer = read_to_close(&mut ok, Duration::from_secs(10)).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_answered_408() {
    let app = TestApp::with_config(|c| c.connections = limits()).await;
    let (addr, _stop, _server) = common::serve(app.state.clone(), None, limits()).await;
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    tcp.write_all(
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"login\":",
    )
    .await
    .unwrap();
    let answer = read_to_close(&mut tcp, Duration::from_secs(10)).await.expect("an answer, then the close");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"code\":\"request_timeout\""), "{answer}");
    assert!(answer.contains("too slow"), "{answer}");
}

#[tokio::test]
async fn a_body_trickled_past_the_total_timeout_is_stopped() {
    let app = TestApp::with_config(|c| c.connections = limits()).await;
    let (addr, _stop, _server) = common::serve(app.state.clone(), None, limits()).await;
    let cookie = app.signup("ada").await;
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/images HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n"
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    // A byte every 0.3 s: never idle for 0.7 s, but nowhere near done in 3 s.
    let (mut reader, mut writer) = tcp.into_split();
    let trickle = tokio::spawn(async move {
        for _ in 0..100 {
            if writer.write_all(&[0xFF]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    });
    let mut out = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(15), reader.read_to_end(&mut out)).await;
    trickle.abort();
    assert!(read.is_ok(), "the upload was still open after 15 s");
    let answer = String::from_utf8_lossy(&out);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert_eq!(app.count("images").await, 0, "nothing stored");
}

#[tokio::test]
async fn past_the_connection_cap_a_new_connection_waits_for_a_free_place() {
    let app = TestApp::new().await;
    let cap = ConnLimits { max_connections: 2, header_timeout: Duration::from_secs(30), ..limits() };
    let (addr, _stop, _server) = common::serve(app.state.clone(), None, cap).await;
    let request = b"GET /api/v1/policy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    // Two connections hold both places (headers begun, never finished).
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut tcp = TcpStream::connect(addr).await.unwrap();
        tcp.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
        held.push(tcp);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = TcpStream::connect(addr).await.unwrap();
    third.write_all(request).await.unwrap();
    assert!(
        read_to_close(&mut third, Duration::from_millis(800)).await.is_none(),
        "the third connection was served while two held the only places"
    );
    drop(held);
    let answer =
        read_to_close(&mut third, Duration::from_secs(10)).await.expect("served once a place was free");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_response_nobody_reads_stops_being_written() {
    // A pipe with a 64-byte buffer whose other end never reads.
    let (ours, _theirs) = tokio::io::duplex(64);
    let mut guarded = vinano_server::serve::io::StallGuard::new(ours, Duration::from_millis(300));
    let write = tokio::time::timeout(Duration::from_secs(10), guarded.write_all(&[0u8; 4096])).await;
    let error = write.expect("the write gave up").unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
}
