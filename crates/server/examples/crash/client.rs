//! The people of the crash loop: what they send, and the ledger of every answer they got.

use rand::{rngs::StdRng, Rng, SeedableRng};
use reqwest::{Client, Response};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub const PASSWORD: &str = "a long enough password";

/// A signed-up person.
#[derive(Debug, Clone)]
pub struct Person {
    pub cookie: String,
    pub id: String,
}

/// An upload sent with an idempotency key; `id` once a 201 came back.
#[derive(Debug, Clone)]
pub struct Upload {
    pub person: usize,
    pub key: String,
    pub bytes: Vec<u8>,
    pub id: Option<String>,
}

/// A message sent with an idempotency key; `id` (and its job) once a 200 came back.
#[derive(Debug, Clone)]
pub struct Sent {
    pub person: usize,
    pub conversation: String,
    pub key: String,
    pub body: Value,
    pub id: Option<String>,
    pub job: Option<String>,
}

/// Everything acknowledged (and everything sent without an answer, to retry after the restart).
#[derive(Debug, Default, Clone)]
pub struct Ledger {
    pub uploads: Vec<Upload>,
    pub messages: Vec<Sent>,
    pub conversations: Vec<(usize, String)>,
    pub deleted_images: Vec<(usize, String)>,
    /// Images whose deletion was sent without an answer: deleted or not, either is right.
    pub maybe_deleted: Vec<String>,
    pub exports: Vec<(usize, String)>,
    /// People whose account deletion was acknowledged (signed out everywhere since).
    pub leaving: Vec<usize>,
}

impl Ledger {
    /// Acknowledged writes so far.
    pub fn acknowledged(&self) -> usize {
        self.uploads.iter().filter(|u| u.id.is_some()).count()
            + self.messages.iter().filter(|m| m.id.is_some()).count()
            + self.conversations.len()
            + self.deleted_images.len()
            + self.exports.len()
            + self.leaving.len()
    }
}

/// What the people share while the server runs.
pub struct Run {
    pub client: Client,
    pub base: String,
    pub people: Vec<Person>,
    pub ledger: Arc<Mutex<Ledger>>,
    /// Set once a request got no answer: the server is gone, everyone stops.
    pub down: AtomicBool,
    /// Requests that were sent and then got no answer (the connection was not refused: it was dropped).
    pub failed_in_flight: AtomicU64,
    /// Answers with a 5xx status, or a read of the library that failed.
    pub server_errors: AtomicU64,
    /// Whether to tell each dropped request (while the server is stopped with SIGTERM, not killed).
    pub watch_in_flight: bool,
    /// Whether the requests go through a load balancer, whose 502/503/504 mean "no answer from a replica".
    pub behind_balancer: bool,
}

/// A small JPEG, different for every seed.
pub fn jpeg(seed: u64) -> Vec<u8> {
    let mut rng = StdRng::seed_from_u64(seed);
    let tint: [u8; 3] = rng.gen();
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([tint[0] ^ (x * 4) as u8, tint[1] ^ (y * 5) as u8, tint[2].wrapping_add((x + y) as u8)])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

pub fn signup_body(name: &str) -> Value {
    json!({
        "name": name, "email": format!("{name}@example.com"), "username": name, "password": PASSWORD,
        "date_of_birth": "1990-05-17", "accept_terms": true, "accept_privacy": true, "accept_responsibility": true
    })
}

fn key(rng: &mut StdRng) -> String {
    format!("{:032x}", rng.gen::<u128>())
}

impl Run {
    /// The answer, or `None` when there was none (the server was killed): then everyone stops. A request
    /// that reached the server and then failed, or a 5xx, counts as failed in flight.
    async fn send(&self, request: reqwest::RequestBuilder) -> Option<Response> {
        match request.send().await {
            Ok(r) if self.behind_balancer && matches!(r.status().as_u16(), 502..=504) => {
                // The replica went away with the request (or the balancer had none up): unanswered.
                if self.watch_in_flight {
                    self.failed_in_flight.fetch_add(1, Ordering::SeqCst);
                    eprintln!("  no answer through the balancer: {} {}", r.url().path(), r.status());
                }
                self.down.store(true, Ordering::SeqCst);
                None
            }
            Ok(r) => {
                if r.status().is_server_error() {
                    self.server_errors.fetch_add(1, Ordering::SeqCst);
                    eprintln!("  5xx: {} {}", r.url().path(), r.status());
                }
                Some(r)
            }
            Err(e) => {
                if !e.is_connect() {
                    self.failed_in_flight.fetch_add(1, Ordering::SeqCst);
                    if self.watch_in_flight {
                        eprintln!("  no answer after the request was sent: {e:?}");
                    }
                }
                self.down.store(true, Ordering::SeqCst);
                None
            }
        }
    }

    fn as_person(&self, person: usize, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request.header("cookie", &self.people[person].cookie)
    }

    /// Sends an upload (new, or a retry with its key and bytes); records the acknowledgement.
    pub async fn upload(&self, upload: Upload) -> Option<()> {
        {
            let mut ledger = self.ledger.lock().unwrap();
            if !ledger.uploads.iter().any(|u| u.key == upload.key) {
                ledger.uploads.push(upload.clone());
            }
        }
        let request = self
            .client
            .post(format!("{}/images", self.base))
            .header("content-type", "image/jpeg")
            .header("idempotency-key", &upload.key)
            .body(upload.bytes.clone());
        let r = self.send(self.as_person(upload.person, request)).await?;
        let status = r.status().as_u16();
        let body: Value = r.json().await.ok()?;
        let mut ledger = self.ledger.lock().unwrap();
        if status == 201 {
            let entry = ledger.uploads.iter_mut().find(|u| u.key == upload.key)?;
            entry.id = body["id"].as_str().map(str::to_string);
        } else {
            // Refused (signed out after leaving, a full disk): nothing stored, nothing to retry.
            ledger.uploads.retain(|u| u.key != upload.key);
        }
        Some(())
    }

    /// Sends a message (new, or a retry with its key and body); records the acknowledgement.
    pub async fn message(&self, sent: Sent) -> Option<()> {
        {
            let mut ledger = self.ledger.lock().unwrap();
            if !ledger.messages.iter().any(|m| m.key == sent.key) {
                ledger.messages.push(sent.clone());
            }
        }
        let request = self
            .client
            .post(format!("{}/conversations/{}/messages", self.base, sent.conversation))
            .header("idempotency-key", &sent.key)
            .json(&sent.body);
        let r = self.send(self.as_person(sent.person, request)).await?;
        let status = r.status().as_u16();
        let body: Value = r.json().await.ok()?;
        let mut ledger = self.ledger.lock().unwrap();
        if status == 200 {
            let entry = ledger.messages.iter_mut().find(|m| m.key == sent.key)?;
            entry.id = body["prompt"]["id"].as_str().map(str::to_string);
            entry.job = body["job"]["id"].as_str().map(str::to_string);
        } else {
            ledger.messages.retain(|m| m.key != sent.key);
        }
        Some(())
    }

    /// One person's random work until the server goes away (or `rounds` requests are done).
    pub async fn work(self: Arc<Self>, person: usize, seed: u64, rounds: usize) {
        let mut rng = StdRng::seed_from_u64(seed);
        for _ in 0..rounds {
            if self.down.load(Ordering::SeqCst) {
                return;
            }
            let (image, conversation, mine) = {
                let ledger = self.ledger.lock().unwrap();
                if ledger.leaving.contains(&person) {
                    return;
                }
                let deleted = |id: &String| {
                    ledger.deleted_images.iter().any(|(_, d)| d == id) || ledger.maybe_deleted.contains(id)
                };
                let images: Vec<String> = ledger
                    .uploads
                    .iter()
                    .filter(|u| u.person == person)
                    .filter_map(|u| u.id.clone())
                    .filter(|id| !deleted(id))
                    .collect();
                let conversations: Vec<String> = ledger
                    .conversations
                    .iter()
                    .filter(|(p, _)| *p == person)
                    .map(|(_, c)| c.clone())
                    .collect();
                let pick = |v: &Vec<String>, rng: &mut StdRng| {
                    (!v.is_empty()).then(|| v[rng.gen_range(0..v.len())].clone())
                };
                (pick(&images, &mut rng), pick(&conversations, &mut rng), images.len())
            };
            let roll = rng.gen_range(0..100);
            let done = match (roll, image, conversation) {
                (0..=29, ..) | (30..=59, None, _) => {
                    let upload = Upload { person, key: key(&mut rng), bytes: jpeg(rng.gen()), id: None };
                    self.upload(upload).await
                }
                (30..=59, Some(_), None) | (60..=69, ..) => self.start_conversation(person).await,
                (30..=59, Some(image), Some(conversation)) => {
                    let body = json!({"text": "make it warmer", "image_id": image});
                    let sent = Sent { person, conversation, key: key(&mut rng), body, id: None, job: None };
                    self.message(sent).await
                }
                (70..=79, Some(image), _) if mine > 2 => self.delete_image(person, image).await,
                (80..=84, ..) => self.export(person).await,
                _ => self.read(person).await,
            };
            if done.is_none() {
                return;
            }
        }
    }

    async fn start_conversation(&self, person: usize) -> Option<()> {
        let request = self.client.post(format!("{}/conversations", self.base)).json(&json!({}));
        let r = self.send(self.as_person(person, request)).await?;
        if r.status() == 201 {
            let id = r.json::<Value>().await.ok()?["id"].as_str()?.to_string();
            self.ledger.lock().unwrap().conversations.push((person, id));
        }
        Some(())
    }

    async fn delete_image(&self, person: usize, image: String) -> Option<()> {
        self.ledger.lock().unwrap().maybe_deleted.push(image.clone());
        let request = self.client.delete(format!("{}/images/{image}", self.base));
        let r = self.send(self.as_person(person, request)).await?;
        let mut ledger = self.ledger.lock().unwrap();
        ledger.maybe_deleted.retain(|i| *i != image);
        if r.status() == 200 {
            ledger.deleted_images.push((person, image));
        }
        Some(())
    }

    async fn export(&self, person: usize) -> Option<()> {
        let request = self.client.post(format!("{}/me/exports", self.base));
        let r = self.send(self.as_person(person, request)).await?;
        if r.status() == 202 {
            let id = r.json::<Value>().await.ok()?["id"].as_str()?.to_string();
            self.ledger.lock().unwrap().exports.push((person, id));
        }
        Some(())
    }

    /// Reading must work whatever state the last kill left.
    async fn read(&self, person: usize) -> Option<()> {
        let request = self.client.get(format!("{}/images?limit=20", self.base));
        let r = self.send(self.as_person(person, request)).await?;
        if r.status() != 200 {
            self.server_errors.fetch_add(1, Ordering::SeqCst);
            eprintln!("  reading the library answered {}", r.status());
        }
        Some(())
    }

    /// Asks for the account's deletion (the password again); recorded when acknowledged.
    pub async fn leave(&self, person: usize) -> Option<()> {
        let request =
            self.client.post(format!("{}/me/deletion", self.base)).json(&json!({"password": PASSWORD}));
        let r = self.send(self.as_person(person, request)).await?;
        if r.status() == 200 {
            self.ledger.lock().unwrap().leaving.push(person);
        }
        Some(())
    }
}
