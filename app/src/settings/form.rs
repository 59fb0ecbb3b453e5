//! The contact form's state and validation, free of UI so it can be tested directly.
//!
//! The same parsers run here and on the server (`portal_domain`), so an error shown inline is
//! the one the server would give.

use portal_domain::wire::{ContactSettings, FieldErrorBody};
use portal_domain::{Email, PhoneNumber};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContactForm {
    pub email: String,
    pub phone: String,
    /// Error codes (`email.invalid`), translated when shown.
    pub email_error: Option<String>,
    pub phone_error: Option<String>,
}

impl ContactForm {
    pub fn from_settings(settings: &ContactSettings) -> ContactForm {
        ContactForm {
            email: settings.email.clone().unwrap_or_default(),
            // Shown as people write it (+420 777 123 456); the server stores it compact.
            phone: settings
                .phone
                .as_deref()
                .map(|p| PhoneNumber::parse(p).map_or(p.to_string(), |n| n.display_grouped()))
                .unwrap_or_default(),
            ..ContactForm::default()
        }
    }

    /// Both fields are optional: an empty one means "no contact of this kind".
    pub fn validate_email(&mut self) -> Option<String> {
        let result = optional(&self.email, |t| Email::parse(t).map(|e| e.to_string()));
        self.email_error = result.as_ref().err().map(|c| c.to_string());
        result.ok().flatten()
    }

    pub fn validate_phone(&mut self) -> Option<String> {
        let result = optional(&self.phone, |t| {
            PhoneNumber::parse(t).map(|p| p.to_string())
        });
        self.phone_error = result.as_ref().err().map(|c| c.to_string());
        result.ok().flatten()
    }

    /// Validates everything; the normalised settings to send, or `None` with errors set.
    pub fn validate(&mut self) -> Option<ContactSettings> {
        let email = self.validate_email();
        let phone = self.validate_phone();
        if self.email_error.is_some() || self.phone_error.is_some() {
            return None;
        }
        Some(ContactSettings { email, phone })
    }

    /// Puts the server's field errors next to their fields. False when none matched a field,
    /// so the caller shows a general error instead.
    pub fn apply_server_errors(&mut self, fields: &[FieldErrorBody]) -> bool {
        let mut matched = false;
        for field in fields {
            let slot = match field.field.as_str() {
                "email" => &mut self.email_error,
                "phone" => &mut self.phone_error,
                _ => continue,
            };
            *slot = Some(field.code.clone());
            matched = true;
        }
        matched
    }
}

fn optional<F>(text: &str, parse: F) -> Result<Option<String>, &'static str>
where
    F: Fn(&str) -> Result<String, portal_domain::ParseError>,
{
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse(text).map(Some).map_err(|e| e.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(email: &str, phone: &str) -> ContactForm {
        ContactForm {
            email: email.into(),
            phone: phone.into(),
            ..ContactForm::default()
        }
    }

    #[test]
    fn stored_phone_is_shown_grouped() {
        let stored = ContactSettings {
            email: Some("jana@example.cz".into()),
            phone: Some("+420777123456".into()),
        };
        let f = ContactForm::from_settings(&stored);
        assert_eq!(f.phone, "+420 777 123 456");
        assert_eq!(f.email, "jana@example.cz");
    }

    #[test]
    fn empty_fields_are_allowed() {
        assert_eq!(form("", " ").validate(), Some(ContactSettings::default()));
    }

    #[test]
    fn values_are_normalised() {
        let settings = form(" jana@Example.CZ ", "777 123 456").validate().unwrap();
        assert_eq!(settings.email.as_deref(), Some("jana@example.cz"));
        assert_eq!(settings.phone.as_deref(), Some("+420777123456"));
    }

    #[test]
    fn bad_values_get_domain_codes() {
        let mut f = form("jana.example.cz", "12345");
        assert_eq!(f.validate(), None);
        assert_eq!(f.email_error.as_deref(), Some("email.missing_at"));
        assert_eq!(f.phone_error.as_deref(), Some("phone.length"));
        // Fixing a field clears its error when it is checked again.
        f.email = "jana@example.cz".into();
        f.validate_email();
        assert_eq!(f.email_error, None);
    }

    #[test]
    fn server_field_errors_land_on_their_fields() {
        let mut f = form("a@b.cz", "");
        let fields = vec![FieldErrorBody {
            field: "email".into(),
            code: "email.invalid".into(),
            message: "bad".into(),
        }];
        assert!(f.apply_server_errors(&fields));
        assert_eq!(f.email_error.as_deref(), Some("email.invalid"));
        let other = vec![FieldErrorBody {
            field: "fax".into(),
            code: "x".into(),
            message: String::new(),
        }];
        assert!(!form("", "").apply_server_errors(&other));
    }
}
