//! Authorization across the whole API, generated from the route table: every operation in the
//! OpenAPI document is called as nobody, as a citizen and as another citizen, and its
//! `security` (the roles it needs) decides what must happen. A test below checks that every
//! route the code registers is in that document, so a new endpoint cannot slip past.

use crate::helpers::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};
use std::path::Path;

/// (method, path, roles) for every operation; `roles` is `None` for a public one.
fn operations(doc: &Value) -> Vec<(Method, String, Option<Vec<String>>)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            // A kiosk operation (scheme `kiosk`) counts as needing the role "kiosk".
            let roles = op["security"].as_array().map(|reqs| {
                reqs.iter()
                    .flat_map(|req| {
                        let mut roles = req["session"].as_array().cloned().unwrap_or_default();
                        if req.get("kiosk").is_some() {
                            roles.push(Value::from("kiosk"));
                        }
                        roles
                    })
                    .filter_map(|r| r.as_str().map(str::to_owned))
                    .collect()
            });
            found.push((method, path.clone(), roles));
        }
    }
    found
}

/// The path with every `{id}`-like parameter replaced by `id` (a `{format}` by `svg`).
fn concrete(path: &str, id: i64) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').unwrap() + open;
        match &rest[open + 1..close] {
            "format" => out.push_str("svg"),
            _ => out.push_str(&id.to_string()),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

async fn call(app: &TestApp, method: &Method, path: &str) -> u16 {
    let response = app.send_json(method.clone(), path, &json!({})).await;
    response.status().as_u16()
}

#[tokio::test]
async fn every_protected_operation_refuses_nobody_and_staff_ones_refuse_citizens() {
    let anonymous = spawn_app().await;
    let doc = anonymous.get_json("/api/openapi.json").await;
    let ops = operations(&doc);
    assert!(ops.len() >= 15, "the route table looks empty: {ops:?}");
    let mut jana = anonymous.another_browser();
    jana.login_as("jana").await;
    let mut checked = 0;
    for (method, path, roles) in &ops {
        let Some(roles) = roles else { continue };
        let url = concrete(path, 1);
        let status = call(&anonymous, method, &url).await;
        assert_eq!(status, 401, "{method} {path} without a session");
        if roles.iter().any(|r| r == "kiosk") {
            // A citizen's session is no kiosk credential.
            let status = call(&jana, method, &url).await;
            assert_eq!(
                status, 401,
                "{method} {path} (kiosk only) answered a citizen"
            );
        } else if !roles.is_empty() {
            let status = call(&jana, method, &url).await;
            assert!(
                status == 403 || status == 404,
                "{method} {path} (needs {roles:?}) answered a citizen {status}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} protected operations");
}

/// For every citizen operation that names a resource by id, no id answers both Jana and Petr:
/// whatever Jana may read or change is hers, and Petr gets 403/404 for it (and vice versa).
#[tokio::test]
async fn no_resource_answers_two_citizens() {
    let doc = spawn_app().await.get_json("/api/openapi.json").await;
    for (method, path, roles) in operations(&doc) {
        if roles.as_ref().is_none_or(|r| !r.is_empty()) || !path.contains('{') {
            continue;
        }
        // A fresh town per operation: probing may change things.
        let mut jana = spawn_app().await;
        jana.login_as("jana").await;
        let mut petr = jana.another_browser();
        petr.login_as("petr").await;
        for id in 1..=40 {
            let url = concrete(&path, id);
            let for_jana = call(&jana, &method, &url).await;
            let for_petr = call(&petr, &method, &url).await;
            assert!(
                !(is_success_or_conflict(for_jana) && is_success_or_conflict(for_petr)),
                "{method} {url}: Jana got {for_jana}, Petr got {for_petr}"
            );
            for status in [for_jana, for_petr] {
                assert!(status < 500, "{method} {url}: {status}");
            }
        }
    }
}

/// 2xx, or 409 (which also says "this exists and is yours": e.g. your last identity).
fn is_success_or_conflict(status: u16) -> bool {
    (200..300).contains(&status) || status == 409
}

/// Every `.route("PATH", get(..).post(..))` in the backend's source is in the OpenAPI
/// document with the same methods, so the tests above see every endpoint.
#[tokio::test]
async fn every_registered_route_is_in_the_route_table() {
    let doc = spawn_app().await.get_json("/api/openapi.json").await;
    let paths = doc["paths"].as_object().unwrap();
    let mut sources = Vec::new();
    collect_rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut sources,
    );
    let mut seen = 0;
    for file in sources {
        let text = std::fs::read_to_string(&file).unwrap();
        for segment in text.split(".route(").skip(1) {
            let segment = segment.trim_start();
            let Some(rest) = segment.strip_prefix('"') else {
                panic!("{}: route path is not a literal", file.display());
            };
            let (path, rest) = rest.split_once('"').unwrap();
            // The document itself and the API's catch-all 404.
            if path == "/api/openapi.json" || path == "/api/{*rest}" {
                continue;
            }
            // The route call's own arguments: up to its closing parenthesis.
            let mut depth = 1;
            let end = rest
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(rest.len(), |(i, _)| i);
            let call = &rest[..end];
            let documented = paths.get(path).unwrap_or_else(|| {
                panic!("{path} ({}) is not in the OpenAPI document", file.display())
            });
            for method in ["get", "post", "put", "delete", "patch"] {
                let registered = call.contains(&format!(" {method}("))
                    || call.contains(&format!(".{method}("))
                    || call.contains(&format!("({method}("));
                if registered {
                    assert!(
                        documented.get(method).is_some(),
                        "{method} {path} is registered but not documented"
                    );
                    seen += 1;
                }
            }
        }
    }
    assert!(seen >= 15, "found only {seen} routes");
}

fn collect_rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
