//! Watching readers and cards on a thread of its own.

use std::collections::BTreeMap;
use std::ffi::CString;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;
use std::time::Duration;

use pcsc::{Context, Error, PNP_NOTIFICATION, ReaderState, Scope, State};

use crate::readers::matching;

/// What the watcher reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardEvent {
    ReaderAdded(String),
    /// A reader went away (unplugged, or pcscd stopped); a card in it is reported removed first.
    ReaderRemoved(String),
    /// `atr` is empty for a card that did not answer the reset (mute).
    CardInserted {
        reader: String,
        atr: Vec<u8>,
    },
    CardRemoved {
        reader: String,
    },
    /// pcscd is not reachable; the watcher retries every [`RETRY`].
    ServiceDown,
    ServiceUp,
}

/// How often the watcher checks for a stop and retries a missing pcscd.
pub const RETRY: Duration = Duration::from_millis(250);

/// A thread watching the readers that match a pattern. Stops when dropped or when the receiver
/// of its events is gone.
pub struct Watcher {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Watcher {
    /// Starts watching readers whose name matches `pattern` (`*`, `?`). The first events tell
    /// the present state: `ServiceUp` or `ServiceDown`, then `ReaderAdded` and `CardInserted`
    /// for what is already there.
    pub fn spawn(pattern: &str, events: Sender<CardEvent>) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let pattern = pattern.to_owned();
        let thread = std::thread::Builder::new()
            .name("eobcanka-watch".into())
            .spawn(move || {
                Watch {
                    pattern,
                    events,
                    stop: flag,
                    readers: BTreeMap::new(),
                }
                .run()
            })?;
        Ok(Self {
            stop,
            thread: Some(thread),
        })
    }

    /// Stops the thread and waits for it (at most about [`RETRY`]).
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.shutdown();
    }
}

struct Watch {
    pattern: String,
    events: Sender<CardEvent>,
    stop: Arc<AtomicBool>,
    /// Known readers, and whether we reported a card in each.
    readers: BTreeMap<String, bool>,
}

enum Outcome {
    Stop,
    ServiceLost,
}

impl Watch {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn emit(&self, e: CardEvent) -> bool {
        if self.events.send(e).is_err() {
            self.stop.store(true, Ordering::SeqCst);
            return false;
        }
        true
    }

    fn run(mut self) {
        let mut service_up: Option<bool> = None;
        while !self.stopped() {
            let ctx = match Context::establish(Scope::User) {
                Ok(ctx) => ctx,
                Err(_) => {
                    if service_up != Some(false) {
                        service_up = Some(false);
                        self.emit(CardEvent::ServiceDown);
                    }
                    std::thread::sleep(RETRY);
                    continue;
                }
            };
            if service_up != Some(true) {
                self.emit(CardEvent::ServiceUp);
            }
            match self.watch(&ctx) {
                Outcome::Stop => return,
                Outcome::ServiceLost => {
                    self.forget_all();
                    service_up = Some(false);
                    self.emit(CardEvent::ServiceDown);
                    std::thread::sleep(RETRY);
                }
            }
        }
    }

    fn forget_all(&mut self) {
        for (name, card) in std::mem::take(&mut self.readers) {
            if card {
                self.emit(CardEvent::CardRemoved {
                    reader: name.clone(),
                });
            }
            self.emit(CardEvent::ReaderRemoved(name));
        }
    }

    /// Watches with one context until pcscd goes away or the watcher is stopped.
    fn watch(&mut self, ctx: &Context) -> Outcome {
        // Entry 0 is the PnP notification (readers added or removed); the states persist so
        // pcscd's event counters in them stay right.
        let mut states = vec![ReaderState::new(PNP_NOTIFICATION(), State::UNAWARE)];
        loop {
            if self.stopped() {
                return Outcome::Stop;
            }
            let names = match matching(ctx, &self.pattern) {
                Ok(n) => n,
                Err(e) if service_lost(e) => return Outcome::ServiceLost,
                Err(_) => {
                    std::thread::sleep(RETRY);
                    continue;
                }
            };
            self.sync_readers(&names);
            let mut first = true;
            states.retain(|rs| {
                let keep = first
                    || rs
                        .name()
                        .to_str()
                        .is_ok_and(|n| names.iter().any(|m| m == n));
                first = false;
                keep
            });
            for name in &names {
                if !states[1..]
                    .iter()
                    .any(|rs| rs.name().to_str() == Ok(name.as_str()))
                {
                    if let Ok(c) = CString::new(name.as_str()) {
                        states.push(ReaderState::new(c, State::UNAWARE));
                    }
                }
            }
            match ctx.get_status_change(RETRY, &mut states) {
                Ok(()) => {
                    self.apply(&states[1..]);
                    states.iter_mut().for_each(ReaderState::sync_current_state);
                }
                Err(Error::Timeout) => {}
                Err(e) if service_lost(e) => return Outcome::ServiceLost,
                Err(_) => std::thread::sleep(RETRY),
            }
        }
    }

    fn sync_readers(&mut self, names: &[String]) {
        let gone: Vec<String> = self
            .readers
            .keys()
            .filter(|k| !names.contains(k))
            .cloned()
            .collect();
        for name in gone {
            if let Some(true) = self.readers.remove(&name) {
                self.emit(CardEvent::CardRemoved {
                    reader: name.clone(),
                });
            }
            self.emit(CardEvent::ReaderRemoved(name));
        }
        for name in names {
            if !self.readers.contains_key(name) {
                self.readers.insert(name.clone(), false);
                self.emit(CardEvent::ReaderAdded(name.clone()));
            }
        }
    }

    fn apply(&mut self, states: &[ReaderState]) {
        for rs in states {
            let Ok(name) = rs.name().to_str() else {
                continue;
            };
            let event = rs.event_state();
            if !event.contains(State::CHANGED) {
                continue;
            }
            let Some(entry) = self.readers.get_mut(name) else {
                continue;
            };
            let was = *entry;
            let now = event.contains(State::PRESENT);
            *entry = now;
            let name = name.to_owned();
            if now && !was {
                let atr = if event.contains(State::MUTE) {
                    Vec::new()
                } else {
                    rs.atr().to_vec()
                };
                self.emit(CardEvent::CardInserted { reader: name, atr });
            } else if !now && was {
                self.emit(CardEvent::CardRemoved { reader: name });
            }
        }
    }
}

fn service_lost(e: Error) -> bool {
    matches!(
        e,
        Error::NoService | Error::ServiceStopped | Error::InvalidHandle
    )
}
