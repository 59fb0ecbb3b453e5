//! Kiosk profiles.
