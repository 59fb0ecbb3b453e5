//! `/sprava/platby/vypisy`: a bank statement (ABO/GPC or camt.053) uploaded by an official, and
//! what the import did. A file with any problem is refused whole; each problem is listed by
//! the line (ABO) or element (XML) and field the server names.

use super::{StaffFrame, error_text, focus};
use crate::api::{ApiClient, ApiError};
use crate::i18n::{format_count, use_tr};
use crate::session::Session;
use dioxus::html::FileData;
use dioxus::prelude::*;
use portal_domain::wire::{FieldErrorBody, StatementImportReport};

#[component]
pub fn StaffStatements() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let mut file = use_signal(|| None::<FileData>);
    let mut missing = use_signal(|| false);
    let mut busy = use_signal(|| false);
    let mut report = use_signal(|| None::<StatementImportReport>);
    let mut error = use_signal(|| None::<ApiError>);

    use_effect(move || {
        if report.read().is_some() || error.read().is_some() {
            focus("statement-result");
        }
    });

    let submit = move |event: FormEvent| {
        event.prevent_default();
        let api = api.clone();
        async move {
            let Some(chosen) = file.peek().clone() else {
                missing.set(true);
                return;
            };
            missing.set(false);
            busy.set(true);
            let result = match chosen.read_bytes().await {
                Ok(bytes) => {
                    let csrf = session.peek().csrf_token().unwrap_or_default();
                    api.upload_statement(&csrf, bytes.to_vec()).await
                }
                Err(_) => Err(ApiError::Invalid {
                    code: "statement.unreadable".into(),
                    fields: vec![],
                }),
            };
            busy.set(false);
            match result {
                Ok(r) => {
                    error.set(None);
                    report.set(Some(r));
                }
                Err(e) => {
                    report.set(None);
                    error.set(Some(e));
                }
            }
        }
    };

    rsx! {
        StaffFrame { title: tr.t("staff_payments.statements.title").to_string(), back: true,
            p { class: "lead", {tr.t("staff_payments.statements.intro")} }
            form { class: "form card", novalidate: true, onsubmit: submit,
                div { class: if missing() { "field field--invalid" } else { "field" },
                    label { r#for: "statement-file", {tr.t("staff_payments.statements.file")} }
                    p { id: "statement-file-hint", class: "field__hint",
                        {tr.t("staff_payments.statements.file_hint")}
                    }
                    if missing() {
                        p { id: "statement-file-error", class: "field__error",
                            {tr.t("staff_payments.statements.file_missing")}
                        }
                    }
                    input {
                        id: "statement-file",
                        r#type: "file",
                        accept: ".gpc,.abo,.txt,.xml,text/plain,application/xml,text/xml",
                        aria_invalid: if missing() { "true" } else { "false" },
                        aria_describedby: if missing() { "statement-file-hint statement-file-error" } else { "statement-file-hint" },
                        onchange: move |e: FormEvent| file.set(e.files().into_iter().next()),
                    }
                }
                button { r#type: "submit", class: "button", disabled: busy(),
                    {tr.t("staff_payments.statements.submit")}
                }
            }
            if let Some(r) = report() {
                ImportSummary { report: r }
            }
            if let Some(e) = error() {
                ImportErrors { error: e }
            }
        }
    }
}

/// What the import did, as a table a screen reader reads row by row.
#[component]
pub fn ImportSummary(report: StatementImportReport) -> Element {
    let tr = use_tr();
    let count = |n: u64| format_count(tr.lang, u32::try_from(n).unwrap_or(u32::MAX));
    let rows = [
        (tr.t("staff_payments.statements.items"), count(report.items)),
        (
            tr.t("staff_payments.statements.credited"),
            count(report.credited),
        ),
        (
            tr.t("staff_payments.statements.unmatched"),
            count(report.unmatched),
        ),
        (
            tr.t("staff_payments.statements.duplicates"),
            count(report.duplicates),
        ),
        (
            tr.t("staff_payments.statements.skipped"),
            count(report.skipped),
        ),
        (
            tr.t("staff_payments.statements.reversed"),
            count(report.reversed),
        ),
        (
            tr.t("staff_payments.statements.reversals_unpaired"),
            count(report.reversals_unpaired),
        ),
    ];
    rsx! {
        section { class: "card", aria_labelledby: "statement-result",
            h2 { id: "statement-result", tabindex: "-1", {tr.t("staff_payments.statements.result")} }
            if report.already_imported {
                p { class: "alert alert--info", role: "status",
                    {tr.t("staff_payments.statements.already_imported")}
                }
            } else {
                p { class: "alert alert--success", role: "status",
                    {tr.tf("staff_payments.statements.done", &[("format", &report.format)])}
                }
            }
            table { class: "table",
                caption { {tr.t("staff_payments.statements.caption")} }
                tbody {
                    for (label, value) in rows {
                        tr { key: "{label}",
                            th { scope: "row", "{label}" }
                            td { "{value}" }
                        }
                    }
                }
            }
        }
    }
}

/// Why the file was refused: each problem as the server named it (line or element, field).
#[component]
fn ImportErrors(error: ApiError) -> Element {
    let tr = use_tr();
    let problems: Vec<FieldErrorBody> = match &error {
        ApiError::Invalid { fields, .. } => fields.clone(),
        _ => vec![],
    };
    rsx! {
        section { class: "alert alert--error", role: "alert", aria_labelledby: "statement-result",
            h2 { id: "statement-result", tabindex: "-1", {tr.t("staff_payments.statements.refused")} }
            if problems.is_empty() {
                p { {error_text(tr, &error)} }
            } else {
                p { {tr.t("staff_payments.statements.nothing_imported")} }
                ul {
                    for (i, problem) in problems.into_iter().enumerate() {
                        li { key: "{i}",
                            strong { "{problem.field}" }
                            ": {problem.message}"
                        }
                    }
                }
            }
        }
    }
}
