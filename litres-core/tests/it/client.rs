//! LitRes client tests against a wiremock server on 127.0.0.1.

use std::time::{Duration, Instant};

use litres_core::client::{
    BookFileRef, Client, ClientConfig, FreshBooksRequest, SaleRequest, SaleResponse,
};
use litres_core::download::download_link;
use litres_core::feed::FeedItem;
use litres_core::window::Window;
use litres_core::{ArtId, ExternalId, FileFormat, MoscowTime, Price, Record, Secret, WorkType};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "TESTKEY";
const NOTIFY_KEY: &str = "NOTIFYKEY";
const LITRES_XML: &str = "text/xml; charset=utf-8;";
const FEED_FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/fixtures/litres/get_fresh_book-2015-07-19.xml"
);
const GENRES_FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/fixtures/litres/genres_list_2-2015.xml"
);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn config(base_url: &str) -> ClientConfig {
    ClientConfig::new("TEST", Secret::new(KEY))
        .base_url(base_url)
        .notification_secret_key(Secret::new(NOTIFY_KEY))
        .base_backoff(ms(5))
        .max_backoff(ms(50))
        .min_request_interval(Duration::ZERO)
        .request_timeout(Duration::from_secs(5))
        .read_timeout(Duration::from_secs(5))
}

fn client(server: &MockServer) -> Client {
    Client::new(config(&server.uri())).unwrap()
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn at(text: &str) -> MoscowTime {
    MoscowTime::parse(text).unwrap()
}

/// Splits a raw query into (name, raw value) pairs, keeping the encoding.
fn raw_pairs(request: &Request) -> Vec<(String, String)> {
    request
        .url
        .query()
        .unwrap_or_default()
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (name.to_owned(), value.to_owned())
        })
        .collect()
}

fn raw_value(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
        .unwrap_or_else(|| panic!("parameter {name} missing from {pairs:?}"))
}

fn names(pairs: &[(String, String)]) -> Vec<&str> {
    pairs.iter().map(|(name, _)| name.as_str()).collect()
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn assert_recent(timestamp: &str) {
    let sent: i64 = timestamp.parse().unwrap();
    let now = unix_now();
    assert!(
        (now - 5..=now).contains(&sent),
        "timestamp {sent}, now {now}"
    );
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

fn litres_xml(status: u16, body: impl Into<Vec<u8>>) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", LITRES_XML)
        .set_body_bytes(body.into())
}

async fn mount(server: &MockServer, call_path: &str, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(call_path))
        .respond_with(response)
        .mount(server)
        .await;
}

async fn collect(feed: &mut litres_core::client::FeedStream) -> Vec<Result<FeedItem, String>> {
    let mut items = Vec::new();
    while let Some(item) = feed.next().await {
        items.push(item.map_err(|error| error.to_string()));
        assert!(items.len() < 100, "feed never ends");
    }
    items
}

#[tokio::test]
async fn fresh_books_sends_exact_query() {
    let server = MockServer::start().await;
    let fixture = std::fs::read(crate::recorded(FEED_FIXTURE)).unwrap();
    mount(&server, "/get_fresh_book/", litres_xml(200, fixture)).await;

    let window = Window {
        start: at("2015-07-19 12:05:00"),
        end: at("2015-07-19 12:10:00"),
    };
    let request = FreshBooksRequest::for_window(&window, WorkType::Text);
    let mut feed = client(&server).fresh_books(&request).await.unwrap();
    let items = collect(&mut feed).await;

    let sent = only_request(&server).await;
    let pairs = raw_pairs(&sent);
    assert_eq!(
        names(&pairs),
        [
            "checkpoint",
            "endpoint",
            "place",
            "timestamp",
            "sha",
            "type"
        ]
    );
    // The space of a checkpoint goes out as %20 and the colons as %3A.
    assert_eq!(raw_value(&pairs, "checkpoint"), "2015-07-19%2012%3A05%3A00");
    assert_eq!(raw_value(&pairs, "endpoint"), "2015-07-19%2012%3A10%3A00");
    assert_eq!(raw_value(&pairs, "place"), "TEST");
    assert_eq!(raw_value(&pairs, "type"), "0");
    let timestamp = raw_value(&pairs, "timestamp");
    assert_recent(&timestamp);
    let expected = sha256_hex(&format!("{timestamp}:{KEY}:2015-07-19 12:05:00"));
    assert_eq!(raw_value(&pairs, "sha"), expected);

    let art_ids: Vec<u64> = items
        .iter()
        .map(|item| match item {
            Ok(FeedItem::Record(record)) => record.art_id().get(),
            other => panic!("unexpected item {other:?}"),
        })
        .collect();
    assert_eq!(art_ids, [10315207, 10316290]);
    assert!(feed.is_complete());
    assert_eq!(feed.timestamp(), Some(at("2015-08-01 10:50:28")));
}

#[tokio::test]
async fn fresh_books_sends_uuid_and_work_type() {
    let server = MockServer::start().await;
    let body = "<fb-updates timestamp=\"2024-01-01 00:00:00\"></fb-updates>";
    mount(&server, "/get_fresh_book/", litres_xml(200, body)).await;

    let mut request = FreshBooksRequest::new(at("2024-01-01 00:00:00"), WorkType::Audio);
    request.uuid = Some(ExternalId::new("37828892-1a76-11e5-ad6a-002590591dd6"));
    let mut feed = client(&server).fresh_books(&request).await.unwrap();
    assert!(collect(&mut feed).await.is_empty());

    let pairs = raw_pairs(&only_request(&server).await);
    assert_eq!(
        names(&pairs),
        ["checkpoint", "place", "timestamp", "sha", "type", "uuid"]
    );
    assert_eq!(raw_value(&pairs, "type"), "1");
    assert_eq!(
        raw_value(&pairs, "uuid"),
        "37828892-1a76-11e5-ad6a-002590591dd6"
    );
}

#[tokio::test]
async fn book_by_external_id_returns_record() {
    let server = MockServer::start().await;
    let fixture = std::fs::read_to_string(crate::recorded(FEED_FIXTURE)).unwrap();
    mount(&server, "/get_fresh_book/", litres_xml(200, fixture)).await;

    let id = ExternalId::new("37828892-1A76-11E5-AD6A-002590591DD6");
    let record = client(&server)
        .book_by_external_id(&id, &WorkType::Text)
        .await
        .unwrap();
    let Some(Record::Updated(book)) = record else {
        panic!("expected the updated book, got {record:?}");
    };
    assert_eq!(book.art_id, ArtId(10315207));

    let pairs = raw_pairs(&only_request(&server).await);
    assert_eq!(raw_value(&pairs, "checkpoint"), "2000-01-01%2000%3A00%3A00");
    assert_eq!(
        raw_value(&pairs, "uuid"),
        "37828892-1A76-11E5-AD6A-002590591DD6"
    );
    let timestamp = raw_value(&pairs, "timestamp");
    let expected = sha256_hex(&format!("{timestamp}:{KEY}:2000-01-01 00:00:00"));
    assert_eq!(raw_value(&pairs, "sha"), expected);
}

#[tokio::test]
async fn book_by_external_id_none_when_empty() {
    let server = MockServer::start().await;
    let body = "<fb-updates timestamp=\"2024-01-01 00:00:00\"></fb-updates>";
    mount(&server, "/get_fresh_book/", litres_xml(200, body)).await;
    let record = client(&server)
        .book_by_external_id(&ExternalId::new("x"), &WorkType::Text)
        .await
        .unwrap();
    assert_eq!(record, None);
}

#[tokio::test]
async fn genres_call_has_no_params() {
    let server = MockServer::start().await;
    let fixture = std::fs::read(crate::recorded(GENRES_FIXTURE)).unwrap();
    mount(&server, "/genres_list_2/", litres_xml(200, fixture)).await;

    let tree = client(&server).genres().await.unwrap();
    assert_eq!(tree.len(), 1214);
    let sent = only_request(&server).await;
    assert_eq!(sent.url.query(), None);
    assert_eq!(sent.url.path(), "/genres_list_2/");
    let encoding = sent
        .headers
        .get("accept-encoding")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(encoding.contains("gzip"), "{encoding}");
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = MockServer::start().await;
    let fixture = std::fs::read(crate::recorded(GENRES_FIXTURE)).unwrap();
    mount(&server, "/prefix/genres_list_2/", litres_xml(200, fixture)).await;
    let client = Client::new(config(&format!("{}/prefix/", server.uri()))).unwrap();
    assert_eq!(client.genres().await.unwrap().len(), 1214);
}

#[tokio::test]
async fn invalid_genre_tree_is_error() {
    let server = MockServer::start().await;
    mount(
        &server,
        "/genres_list_2/",
        litres_xml(200, "<genres><genre"),
    )
    .await;
    let error = client(&server).genres().await.unwrap_err();
    assert!(error.to_string().contains("genre tree"), "{error}");
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn retries_503_twice_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/genres_list_2/"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    let fixture = std::fs::read(crate::recorded(GENRES_FIXTURE)).unwrap();
    mount(&server, "/genres_list_2/", litres_xml(200, fixture)).await;

    let tree = client(&server).genres().await.unwrap();
    assert_eq!(tree.len(), 1214);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn retries_stop_at_max_attempts() {
    let server = MockServer::start().await;
    mount(&server, "/genres_list_2/", ResponseTemplate::new(500)).await;
    let client = Client::new(config(&server.uri()).max_attempts(3)).unwrap();
    let error = client.genres().await.unwrap_err();
    assert_eq!(error.status(), Some(500));
    assert!(error.is_retryable());
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn retry_after_429_is_waited_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/genres_list_2/"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let fixture = std::fs::read(crate::recorded(GENRES_FIXTURE)).unwrap();
    mount(&server, "/genres_list_2/", litres_xml(200, fixture)).await;

    let client = Client::new(config(&server.uri()).max_backoff(Duration::from_secs(5))).unwrap();
    let started = Instant::now();
    client.genres().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn status_400_is_not_retried() {
    let server = MockServer::start().await;
    let body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<error>Invalid signature</error>";
    mount(&server, "/get_fresh_book/", litres_xml(400, body)).await;

    let request = FreshBooksRequest::new(at("2024-01-01 00:00:00"), WorkType::Text);
    let error = client(&server).fresh_books(&request).await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.api_message(), Some("Invalid signature"));
    assert!(!error.is_retryable());
    let text = error.to_string();
    assert!(text.contains("HTTP 400"), "{text}");
    assert!(text.contains("Invalid signature"), "{text}");
    assert!(text.contains("/get_fresh_book/?checkpoint="), "{text}");
}

#[tokio::test]
async fn message_attribute_is_extracted() {
    let server = MockServer::start().await;
    let body = "<response status=\"5\" message=\"Unknown partner\"/>";
    mount(&server, "/genres_list_2/", litres_xml(403, body)).await;
    let error = client(&server).genres().await.unwrap_err();
    assert_eq!(error.status(), Some(403));
    assert_eq!(error.api_message(), Some("Unknown partner"));
}

#[tokio::test]
async fn html_error_body_is_handled() {
    let server = MockServer::start().await;
    let body = "<html><head><title>502 Bad Gateway</title></head>\
                <body><center><h1>502 Bad Gateway</h1></center></body></html>";
    let response = ResponseTemplate::new(502)
        .insert_header("content-type", "text/html")
        .set_body_bytes(body);
    mount(&server, "/genres_list_2/", response).await;
    let client = Client::new(config(&server.uri()).max_attempts(1)).unwrap();
    let error = client.genres().await.unwrap_err();
    assert_eq!(error.status(), Some(502));
    assert_eq!(error.api_message(), Some("502 Bad Gateway"));
}

#[tokio::test]
async fn empty_error_body_has_no_message() {
    let server = MockServer::start().await;
    mount(&server, "/genres_list_2/", ResponseTemplate::new(404)).await;
    let error = client(&server).genres().await.unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.api_message(), None);
    assert!(
        error.to_string().contains("HTTP 404 with no message"),
        "{error}"
    );
}

#[tokio::test]
async fn errors_never_contain_secrets() {
    let server = MockServer::start().await;
    // A server that echoes the whole signed URL and the key back.
    let echo = |request: &Request| {
        litres_xml(
            401,
            format!(
                "<error>key {KEY} rejected for {}</error>",
                request.url.as_str().replace('&', "&amp;")
            ),
        )
    };
    Mock::given(method("GET"))
        .respond_with(echo)
        .mount(&server)
        .await;

    let request = FreshBooksRequest::new(at("2024-01-01 00:00:00"), WorkType::Text);
    let error = client(&server).fresh_books(&request).await.unwrap_err();
    let sent = only_request(&server).await;
    let sha = raw_value(&raw_pairs(&sent), "sha");
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains(&sha), "{text}");
    }
    let url = error.url().unwrap();
    assert!(url.contains("place=TEST"), "{url}");
    assert!(!url.contains("sha"), "{url}");
    let message = error.api_message().unwrap();
    assert!(
        message.starts_with("key [redacted] rejected for http://"),
        "{message}"
    );
    assert!(message.contains("&sha=[redacted]"), "{message}");
}

#[tokio::test]
async fn connection_refused_is_retried_then_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let config = config(&format!("http://{address}"))
        .max_attempts(3)
        .base_backoff(ms(40))
        .max_backoff(ms(1000));
    let client = Client::new(config).unwrap();
    let started = Instant::now();
    let error = client.genres().await.unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
    // Two backoffs of at least half of 40 ms and 80 ms prove the retries.
    assert!(started.elapsed() >= ms(60), "{:?}", started.elapsed());
    assert!(error.to_string().contains("could not connect"), "{error}");
}

#[tokio::test]
async fn timeout_is_retried_and_reported() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_delay(Duration::from_secs(3));
    mount(&server, "/genres_list_2/", slow).await;
    let config = config(&server.uri())
        .request_timeout(ms(200))
        .max_attempts(2);
    let error = Client::new(config).unwrap().genres().await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn feed_headers_timeout_is_reported() {
    let server = MockServer::start().await;
    let slow = litres_xml(200, "<fb-updates/>").set_delay(Duration::from_secs(3));
    mount(&server, "/get_fresh_book/", slow).await;
    let config = config(&server.uri()).read_timeout(ms(200)).max_attempts(1);
    let request = FreshBooksRequest::new(at("2024-01-01 00:00:00"), WorkType::Text);
    let error = Client::new(config)
        .unwrap()
        .fresh_books(&request)
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn rate_limit_spaces_calls_of_clones() {
    let server = MockServer::start().await;
    mount(
        &server,
        "/purchase",
        litres_xml(200, "<response status=\"0\"/>"),
    )
    .await;
    let client = Client::new(config(&server.uri()).min_request_interval(ms(300))).unwrap();
    let clone = client.clone();
    let started = Instant::now();
    let sale = sale();
    let (first, second) = tokio::join!(client.notify_sale(&sale), clone.notify_sale(&sale));
    first.unwrap();
    second.unwrap();
    assert!(started.elapsed() >= ms(300), "{:?}", started.elapsed());
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn truncated_feed_gives_records_then_error() {
    let fixture = std::fs::read(crate::recorded(FEED_FIXTURE)).unwrap();
    let text = String::from_utf8(fixture).unwrap();
    let cut = text.find("</fb-updates>").unwrap();
    let body = text[..cut].to_owned();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    // One connection: headers with no length, the body without its end
    // tag, then close, so the body ends cleanly but early.
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = vec![0u8; 4096];
        let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/xml; charset=utf-8;\r\nconnection: close\r\n\r\n";
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(body.as_bytes()).await.unwrap();
        socket.shutdown().await.unwrap();
    });

    let client = Client::new(config(&format!("http://{address}"))).unwrap();
    let request = FreshBooksRequest::new(at("2015-07-19 12:05:00"), WorkType::Text);
    let mut feed = client.fresh_books(&request).await.unwrap();
    let mut records = 0;
    let mut errors = Vec::new();
    while let Some(item) = feed.next().await {
        match item {
            Ok(FeedItem::Record(_)) => records += 1,
            Ok(other) => panic!("unexpected item {other:?}"),
            Err(error) => errors.push(error),
        }
        assert!(records + errors.len() < 10, "feed never ends");
    }
    server.await.unwrap();
    assert_eq!(records, 2);
    assert_eq!(errors.len(), 1);
    let error = &errors[0];
    assert!(error.is_feed(), "{error:?}");
    assert!(error.feed_error().unwrap().is_truncated());
    assert!(error.is_retryable());
    assert!(!feed.is_complete());
}

#[tokio::test]
async fn broken_connection_mid_feed_is_reported() {
    let fixture = std::fs::read(crate::recorded(FEED_FIXTURE)).unwrap();
    let text = String::from_utf8(fixture).unwrap();
    let cut = text.find("</fb-updates>").unwrap();
    let body = text[..cut].to_owned();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    // A length longer than the bytes sent: the client sees a broken body.
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = vec![0u8; 4096];
        let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut request).await;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\r\n",
            body.len() + 100
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(body.as_bytes()).await.unwrap();
        socket.shutdown().await.unwrap();
    });

    let client = Client::new(config(&format!("http://{address}"))).unwrap();
    let request = FreshBooksRequest::new(at("2015-07-19 12:05:00"), WorkType::Text);
    let mut feed = client.fresh_books(&request).await.unwrap();
    let items = collect(&mut feed).await;
    server.await.unwrap();
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(items[0].is_ok());
    assert!(items[1].is_ok());
    let error = items[2].as_ref().unwrap_err();
    assert!(error.contains("connection to LitRes failed"), "{error}");
}

#[tokio::test]
async fn get_the_book_streams_file() {
    let server = MockServer::start().await;
    let file = b"PK\x03\x04 pretend zip".to_vec();
    let response = ResponseTemplate::new(200)
        .insert_header("content-type", "application/zip")
        .insert_header(
            "content-disposition",
            "attachment; filename=\"book.fb2.zip\"",
        )
        .set_body_bytes(file.clone());
    mount(&server, "/get_the_book/", response).await;

    let id = ExternalId::new("65830123-26B8-4B07-8098-C18229E5026E");
    let what = BookFileRef::Format(FileFormat::new("fb2.zip"));
    let download = client(&server).get_the_book(&id, what).await.unwrap();
    assert_eq!(download.file_name(), Some("book.fb2.zip"));
    assert_eq!(download.content_type(), Some("application/zip"));
    assert_eq!(download.bytes().await.unwrap().as_ref(), file.as_slice());

    let pairs = raw_pairs(&only_request(&server).await);
    assert_eq!(names(&pairs), ["book", "place", "sha", "type"]);
    assert_eq!(
        raw_value(&pairs, "book"),
        "65830123-26b8-4b07-8098-c18229e5026e"
    );
    assert_eq!(raw_value(&pairs, "place"), "TEST");
    assert_eq!(
        raw_value(&pairs, "sha"),
        "cb421a18d59ea7d4bcfee89e192908a75ef0fe719c2703b738809252baa35963"
    );
    assert_eq!(raw_value(&pairs, "type"), "fb2.zip");
}

#[tokio::test]
async fn get_the_book_xml_with_200_is_error() {
    let server = MockServer::start().await;
    let body = "<?xml version=\"1.0\"?><error>Book not found</error>";
    mount(&server, "/get_the_book/", litres_xml(200, body)).await;

    let id = ExternalId::new("65830123-26b8-4b07-8098-c18229e5026e");
    let what = BookFileRef::FileId("4242".into());
    let error = client(&server).get_the_book(&id, what).await.unwrap_err();
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.api_message(), Some("Book not found"));
    assert!(!error.is_retryable());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    let pairs = raw_pairs(&only_request(&server).await);
    assert_eq!(raw_value(&pairs, "file"), "4242");
}

fn sale() -> SaleRequest {
    SaleRequest {
        order_id: "1001".into(),
        user_id: "42".into(),
        email: "buyer+1@example.com".into(),
        art_id: ArtId(10315207),
        external_id: ExternalId::new("37828892-1a76-11e5-ad6a-002590591dd6"),
        price: "109.00".parse::<Price>().unwrap(),
    }
}

#[tokio::test]
async fn sale_accepted_with_exact_query() {
    let server = MockServer::start().await;
    let body = "<?xml version=\"1.0\"?><response status=\"0\" message=\"OK\"/>";
    mount(&server, "/purchase", litres_xml(200, body)).await;

    let response = client(&server).notify_sale(&sale()).await.unwrap();
    assert_eq!(response, SaleResponse::Accepted);

    let pairs = raw_pairs(&only_request(&server).await);
    assert_eq!(
        names(&pairs),
        [
            "user",
            "price",
            "art",
            "place",
            "mail",
            "order",
            "timestamp",
            "sha"
        ]
    );
    assert_eq!(raw_value(&pairs, "user"), "42");
    assert_eq!(raw_value(&pairs, "price"), "109.00");
    assert_eq!(raw_value(&pairs, "art"), "10315207");
    assert_eq!(raw_value(&pairs, "place"), "TEST");
    assert_eq!(raw_value(&pairs, "mail"), "buyer%2B1%40example.com");
    assert_eq!(raw_value(&pairs, "order"), "1001");
    let timestamp = raw_value(&pairs, "timestamp");
    assert_recent(&timestamp);
    let expected = sha256_hex(&format!("{timestamp}:42:10315207:1001:{NOTIFY_KEY}"));
    assert_eq!(raw_value(&pairs, "sha"), expected);
}

#[tokio::test]
async fn sale_rejected_is_not_error() {
    let server = MockServer::start().await;
    let body = "<response status=\"2\" message=\"Book is not for sale\"/>";
    mount(&server, "/purchase", litres_xml(200, body)).await;

    let response = client(&server).notify_sale(&sale()).await.unwrap();
    assert_eq!(
        response,
        SaleResponse::Rejected {
            code: "2".into(),
            message: "Book is not for sale".into(),
        }
    );
}

#[tokio::test]
async fn sale_server_error_is_sent_once() {
    let server = MockServer::start().await;
    mount(&server, "/purchase", ResponseTemplate::new(503)).await;
    let client = Client::new(config(&server.uri()).max_attempts(4)).unwrap();
    let error = client.notify_sale(&sale()).await.unwrap_err();
    assert!(error.is_retryable());
    assert_eq!(error.status(), Some(503));
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "a sale is never resent within one call"
    );
}

#[tokio::test]
async fn sale_timeout_is_sent_once() {
    let server = MockServer::start().await;
    mount(
        &server,
        "/purchase",
        ResponseTemplate::new(200).set_delay(Duration::from_millis(500)),
    )
    .await;
    let client = Client::new(
        config(&server.uri())
            .max_attempts(4)
            .request_timeout(Duration::from_millis(100)),
    )
    .unwrap();
    let error = client.notify_sale(&sale()).await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[test]
fn download_link_matches_signature_vector() {
    let link = download_link(
        "dl.example.com",
        &Secret::new(KEY),
        "666",
        &ExternalId::new("fb2-test-id-123"),
        "fb2.zip",
        1_223_476_707 + 60,
    )
    .unwrap();
    let expected_sha = sha256_hex("1223476707:666:fb2-test-id-123:TESTKEY");
    assert_eq!(
        expected_sha,
        "a36ed81c574d5552980ac02c497d2d9329e42f84d203d7db325dda2e07116214"
    );
    assert_eq!(
        link,
        format!(
            "https://dl.example.com/get_litres_file/1223476707/666/fb2-test-id-123.fb2.zip?sha={expected_sha}"
        )
    );
}

#[test]
fn client_download_link_uses_domain_and_now() {
    let config = config("http://127.0.0.1:9").download_domain("dl.example.com");
    let client = Client::new(config).unwrap();
    let id = ExternalId::new("ABC-1");
    let link = client.download_link("7", &id, "epub").unwrap();
    let rest = link
        .strip_prefix("https://dl.example.com/get_litres_file/")
        .unwrap();
    let (timestamp, rest) = rest.split_once('/').unwrap();
    assert_recent(&(timestamp.parse::<i64>().unwrap() + 60).to_string());
    let expected = format!(
        "7/abc-1.epub?sha={}",
        sha256_hex(&format!("{timestamp}:7:abc-1:{KEY}"))
    );
    assert_eq!(rest, expected);
}

#[test]
fn client_download_link_needs_domain() {
    let client = Client::new(config("http://127.0.0.1:9")).unwrap();
    let error = client
        .download_link("7", &ExternalId::new("a"), "epub")
        .unwrap_err();
    assert!(error.is_config());
    assert!(error.to_string().contains("download_domain"), "{error}");
}

#[test]
fn debug_never_shows_keys() {
    let config = config("http://127.0.0.1:9");
    let client = Client::new(config.clone()).unwrap();
    for text in [format!("{config:?}"), format!("{client:?}")] {
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains(NOTIFY_KEY), "{text}");
    }
}

#[test]
fn invalid_config_is_rejected() {
    let error = Client::new(config("not a url")).unwrap_err();
    assert!(error.is_config());
    assert!(error.to_string().contains("base_url"), "{error}");
}

/// A `tracing` writer that appends to a shared buffer.
#[derive(Clone, Default)]
struct LogBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl LogBuffer {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn retry_logs_are_redacted() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/get_fresh_book/"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount(
        &server,
        "/get_fresh_book/",
        litres_xml(
            200,
            "<fb-updates timestamp=\"2024-01-02 00:00:00\"></fb-updates>",
        ),
    )
    .await;
    let request = FreshBooksRequest::new(at("2024-01-01 00:00:00"), WorkType::Text);
    let mut stream = client(&server).fresh_books(&request).await.unwrap();
    while let Some(item) = stream.next().await {
        item.unwrap();
    }

    let sha = raw_value(&raw_pairs(&only_retry(&server).await), "sha");
    let text = logs.text();
    let retry_line = text
        .lines()
        .find(|line| line.contains("retrying"))
        .unwrap_or_else(|| panic!("no retry line in {text}"));
    assert!(retry_line.contains("WARN"), "{retry_line}");
    assert!(retry_line.contains("attempt=1"), "{retry_line}");
    assert!(retry_line.contains("status=503"), "{retry_line}");
    assert!(
        retry_line.contains("/get_fresh_book/?checkpoint="),
        "{retry_line}"
    );
    assert!(text.contains("litres_request{method=\"GET\""), "{text}");
    assert!(text.contains("status=200"), "{text}");
    assert!(!text.contains(&sha), "{text}");
    assert!(!text.contains(KEY), "{text}");
    assert!(!text.contains("sha="), "{text}");
}

/// Returns the first of the two requests of a retried call.
async fn only_retry(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "expected one request and one retry");
    requests.remove(0)
}

fn assert_send<T: Send>(_: &T) {}

#[test]
fn client_futures_are_send() {
    let client = Client::new(config("http://127.0.0.1:9")).unwrap();
    let request = FreshBooksRequest::new(at("2024-01-01 00:00:00"), WorkType::Text);
    let id = ExternalId::new("a");
    let sale = sale();
    assert_send(&client.genres());
    assert_send(&client.fresh_books(&request));
    assert_send(&client.book_by_external_id(&id, &WorkType::Text));
    assert_send(&client.get_the_book(&id, BookFileRef::FileId("1".into())));
    assert_send(&client.notify_sale(&sale));
    assert_send(&client);
}
