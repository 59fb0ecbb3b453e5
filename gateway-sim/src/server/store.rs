//! The simulator's state: payments in memory behind one lock, optionally mirrored to a JSON file
//! (written to a temporary file, synced, then renamed over the old one after every change).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::protocol::{CreatePayment, Notification, Payment, PaymentStatus, Refund};

/// One payment with everything the simulator knows about it.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct PaymentRecord {
    pub payment_id: String,
    pub merchant_id: String,
    /// The create request as received: idempotent replays are compared with it.
    pub request: CreatePayment,
    pub status: PaymentStatus,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub refunds: Vec<Refund>,
    /// One entry per version (index = version - 1): what a notification of that version says.
    pub history: Vec<Snapshot>,
    /// Versions up to this one need no more notification work (delivered, dropped or given up).
    pub settled_version: u64,
    pub deliveries: Vec<Delivery>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Snapshot {
    pub version: u64,
    pub status: PaymentStatus,
    pub refunded_halere: i64,
    pub paid_at: Option<DateTime<Utc>>,
    pub changed_at: DateTime<Utc>,
}

/// What a notification is, relative to the status change that caused it.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryKind {
    /// The notification of a status change.
    Genuine,
    /// An extra copy (fault `duplicate_notifications`).
    Duplicate,
    /// The previous version sent after the current one (fault `reorder`).
    Reordered,
    /// Signed with a wrong key, claiming `paid` (fault `forge`).
    Forged,
    /// Asked for by `POST /_test/notify/{id}`.
    Manual,
}

/// One delivery attempt (or a decision not to deliver), as `GET /_test/payments` lists it.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Delivery {
    pub event_id: String,
    pub version: u64,
    pub status: PaymentStatus,
    pub kind: DeliveryKind,
    pub attempt: u32,
    /// `"200"`, `"500"`, `"error: …"` or `"dropped"`.
    pub outcome: String,
    pub at: DateTime<Utc>,
}

impl PaymentRecord {
    pub fn refunded_halere(&self) -> i64 {
        self.refunds.iter().map(|r| r.amount_halere).sum()
    }

    /// The API view; `base_url` is where browsers reach the simulator.
    pub fn view(&self, base_url: &str) -> Payment {
        Payment {
            payment_id: self.payment_id.clone(),
            merchant_order_id: self.request.merchant_order_id.clone(),
            status: self.status,
            version: self.version,
            amount_halere: self.request.amount_halere,
            currency: self.request.currency.clone(),
            description: self.request.description.clone(),
            refunded_halere: self.refunded_halere(),
            redirect_url: format!("{base_url}/pay/{}", self.payment_id),
            created_at: self.created_at,
            expires_at: self.expires_at,
            paid_at: self.paid_at,
            refunds: self.refunds.clone(),
        }
    }

    /// The notification of `version` (None for a version that never existed).
    pub fn notification(&self, version: u64) -> Option<Notification> {
        let snap = self
            .history
            .get(usize::try_from(version).ok()?.checked_sub(1)?)?;
        Some(Notification {
            event_id: Notification::event_id_for(&self.payment_id, snap.version),
            payment_id: self.payment_id.clone(),
            merchant_order_id: self.request.merchant_order_id.clone(),
            status: snap.status,
            version: snap.version,
            amount_halere: self.request.amount_halere,
            refunded_halere: snap.refunded_halere,
            paid_at: snap.paid_at,
            changed_at: snap.changed_at,
        })
    }

    /// Moves to `status` as a new version. Returns that version.
    pub fn change(&mut self, status: PaymentStatus, now: DateTime<Utc>) -> u64 {
        if status == PaymentStatus::Paid && self.paid_at.is_none() {
            self.paid_at = Some(now);
        }
        self.status = status;
        self.version += 1;
        self.history.push(Snapshot {
            version: self.version,
            status,
            refunded_halere: self.refunded_halere(),
            paid_at: self.paid_at,
            changed_at: now,
        });
        self.version
    }

    /// Turns a `created` payment past its time `expired`; returns the new version if it did.
    pub fn expire_if_due(&mut self, now: DateTime<Utc>) -> Option<u64> {
        (self.status == PaymentStatus::Created && now >= self.expires_at)
            .then(|| self.change(PaymentStatus::Expired, now))
    }
}

#[derive(Serialize, Deserialize, Default, Debug)]
pub struct State {
    pub payments: BTreeMap<String, PaymentRecord>,
    /// "merchant_id order_id" → payment_id; rebuilt from `payments` on load.
    #[serde(skip)]
    pub by_order: HashMap<String, String>,
    /// "merchant_id nonce" → the request's timestamp; entries older than the window are pruned.
    pub nonces: HashMap<String, i64>,
    #[serde(skip)]
    nonce_inserts: u32,
}

impl State {
    pub fn order_key(merchant_id: &str, order_id: &str) -> String {
        format!("{merchant_id} {order_id}")
    }

    pub fn insert(&mut self, record: PaymentRecord) {
        self.by_order.insert(
            State::order_key(&record.merchant_id, &record.request.merchant_order_id),
            record.payment_id.clone(),
        );
        self.payments.insert(record.payment_id.clone(), record);
    }

    /// A payment of this merchant (another merchant's payment is as good as unknown).
    pub fn payment_of(
        &mut self,
        merchant_id: &str,
        payment_id: &str,
    ) -> Option<&mut PaymentRecord> {
        self.payments
            .get_mut(payment_id)
            .filter(|p| p.merchant_id == merchant_id)
    }

    /// Records a nonce; false when it was already used within the window.
    pub fn use_nonce(&mut self, merchant_id: &str, nonce: &str, timestamp: i64, now: i64) -> bool {
        self.nonce_inserts = self.nonce_inserts.wrapping_add(1);
        if self.nonce_inserts % 1024 == 0 {
            let oldest = now - 2 * crate::protocol::MAX_CLOCK_SKEW_SECS - 60;
            self.nonces.retain(|_, ts| *ts >= oldest);
        }
        let key = format!("{merchant_id} {nonce}");
        if self.nonces.contains_key(&key) {
            return false;
        }
        self.nonces.insert(key, timestamp);
        true
    }
}

pub struct Store {
    state: Mutex<State>,
    file: Option<PathBuf>,
}

impl Store {
    /// An empty store, or the one saved in `file` when it exists.
    pub fn open(file: Option<PathBuf>) -> Result<Store, String> {
        let mut state = State::default();
        if let Some(path) = &file {
            if path.exists() {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("--state: cannot read {}: {e}", path.display()))?;
                state = serde_json::from_str(&text).map_err(|e| {
                    format!(
                        "--state: {} is not a gateway-sim state file: {e}",
                        path.display()
                    )
                })?;
                let records: Vec<PaymentRecord> = state.payments.values().cloned().collect();
                for record in records {
                    state.insert(record);
                }
            }
        }
        Ok(Store {
            state: Mutex::new(state),
            file,
        })
    }

    /// Reads or changes the state without saving it (nonces are saved with the next change).
    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut state)
    }

    /// Changes the state and saves it to the state file, if any, before the lock is released.
    pub fn update<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        self.update_if(|s| (f(s), true))
    }

    /// Like [`Store::update`], saving only when `f` says it changed something.
    pub fn update_if<R>(&self, f: impl FnOnce(&mut State) -> (R, bool)) -> R {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (result, changed) = f(&mut state);
        if let (true, Some(path)) = (changed, &self.file) {
            if let Err(e) = save(path, &state) {
                tracing::error!(path = %path.display(), error = %e, "saving the state file failed");
            }
        }
        result
    }
}

fn save(path: &Path, state: &State) -> std::io::Result<()> {
    use std::io::Write;
    let json = serde_json::to_vec(state).map_err(std::io::Error::other)?;
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(&json)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}
