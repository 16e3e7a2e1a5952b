//! `GET /api/docs`: the API reference as one HTML page, rendered on the server from
//! the OpenAPI document (`openapi::ApiDoc`) with a template compiled into the binary.
//! No script and no external asset, so it reads offline and under the content
//! security policy as it is.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use actix_web::HttpResponse;
use handlebars::Handlebars;
use serde::Serialize;
use serde_json::Value;
use utoipa::OpenApi;

use super::openapi::ApiDoc;
use crate::app::error::AppError;

const TEMPLATE: &str = include_str!("../../../templates/api/docs.hbs");

/// The page, as the template reads it.
#[derive(Debug, Serialize)]
struct Page {
    title: String,
    version: String,
    description: String,
    groups: Vec<Group>,
    schemas: Vec<SchemaView>,
}

/// The operations of one tag.
#[derive(Debug, Serialize)]
struct Group {
    tag: String,
    anchor: String,
    count: usize,
    operations: Vec<OperationView>,
}

#[derive(Debug, Serialize)]
struct OperationView {
    anchor: String,
    method: String,
    path: String,
    summary: String,
    description: String,
    bearer: bool,
    parameters: Vec<Field>,
    /// None or one.
    bodies: Vec<Body>,
    responses: Vec<ResponseView>,
}

/// A parameter, a property or a body: a name, where it goes, its type and what it is.
#[derive(Debug, Serialize)]
struct Field {
    name: String,
    place: String,
    required: bool,
    kind: Vec<TypePart>,
    description: String,
}

#[derive(Debug, Serialize)]
struct Body {
    content_type: String,
    kind: Vec<TypePart>,
    description: String,
}

#[derive(Debug, Serialize)]
struct ResponseView {
    status: String,
    description: String,
    content_type: String,
    kind: Vec<TypePart>,
}

/// A piece of a type's description; `link` names a schema described further down
/// (empty: none; the template's strict mode reads no nulls).
#[derive(Debug, Serialize, PartialEq)]
struct TypePart {
    text: String,
    link: String,
}

#[derive(Debug, Serialize)]
struct SchemaView {
    name: String,
    anchor: String,
    description: String,
    kind: Vec<TypePart>,
    properties: Vec<Field>,
    values: Vec<String>,
}

fn text(part: &str) -> TypePart {
    TypePart {
        text: part.to_string(),
        link: String::new(),
    }
}

fn string_of(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// `#/components/schemas/Case` → `Case`.
fn ref_name(value: &Value) -> Option<&str> {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
}

/// A schema in words: `array of Case`, `string (date-time) | null`, `one of: a, b`.
fn describe(schema: &Value) -> Vec<TypePart> {
    if let Some(name) = ref_name(schema) {
        return vec![TypePart {
            text: name.to_string(),
            link: name.to_string(),
        }];
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(variants) = schema.get(key).and_then(Value::as_array) {
            return joined(variants.iter().map(describe), " | ");
        }
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        return joined(parts.iter().map(describe), " and ");
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let words: Vec<String> = values.iter().map(value_word).collect();
        return vec![text(&format!("one of: {}", words.join(", ")))];
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if types.is_empty() {
        return vec![text("any")];
    }
    joined(types.iter().map(|t| one_type(t, schema)), " | ")
}

fn one_type(kind: &str, schema: &Value) -> Vec<TypePart> {
    match kind {
        "array" => {
            let mut parts = vec![text("array of ")];
            parts.extend(
                schema
                    .get("items")
                    .map_or_else(|| vec![text("any")], describe),
            );
            parts
        }
        "null" => vec![text("null")],
        other => match schema.get("format").and_then(Value::as_str) {
            Some(format) => vec![text(&format!("{other} ({format})"))],
            None => vec![text(other)],
        },
    }
}

fn joined(groups: impl Iterator<Item = Vec<TypePart>>, separator: &str) -> Vec<TypePart> {
    let mut parts = Vec::new();
    for (i, group) in groups.enumerate() {
        if i > 0 {
            parts.push(text(separator));
        }
        parts.extend(group);
    }
    parts
}

fn value_word(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `/api/v1/cases/{id}` → `get-api-v1-cases-id`.
fn anchor(prefix: &str, words: &str) -> String {
    let mut out = String::from(prefix);
    for c in words.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The first media type of a `content` map and its schema.
fn first_content(holder: &Value) -> (String, Vec<TypePart>) {
    holder
        .get("content")
        .and_then(Value::as_object)
        .and_then(|content| content.iter().next())
        .map(|(media, body)| {
            (
                media.clone(),
                body.get("schema").map(describe).unwrap_or_default(),
            )
        })
        .unwrap_or_default()
}

fn operation(method: &str, path: &str, op: &Value) -> OperationView {
    let parameters = op
        .get("parameters")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .map(|p| Field {
                    name: string_of(p, "name"),
                    place: string_of(p, "in"),
                    required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                    kind: p.get("schema").map(describe).unwrap_or_default(),
                    description: string_of(p, "description"),
                })
                .collect()
        })
        .unwrap_or_default();
    let bodies = op.get("requestBody").map(|b| {
        let (content_type, kind) = first_content(b);
        Body {
            content_type,
            kind,
            description: string_of(b, "description"),
        }
    });
    let responses = op
        .get("responses")
        .and_then(Value::as_object)
        .map(|rs| {
            let mut rs: Vec<ResponseView> = rs
                .iter()
                .map(|(status, r)| {
                    let (content_type, kind) = first_content(r);
                    ResponseView {
                        status: status.clone(),
                        description: string_of(r, "description"),
                        content_type,
                        kind,
                    }
                })
                .collect();
            rs.sort_by(|a, b| a.status.cmp(&b.status));
            rs
        })
        .unwrap_or_default();
    let bearer = op
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|s| !s.is_empty());
    OperationView {
        anchor: anchor(&format!("{method}-"), path),
        method: method.to_uppercase(),
        path: path.to_string(),
        summary: string_of(op, "summary"),
        description: string_of(op, "description"),
        bearer,
        parameters,
        bodies: bodies.into_iter().collect(),
        responses,
    }
}

fn schema_view(name: &str, schema: &Value) -> SchemaView {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|ps| {
            ps.iter()
                .map(|(field, p)| Field {
                    name: field.clone(),
                    place: String::new(),
                    required: required.contains(&field.as_str()),
                    kind: describe(p),
                    description: string_of(p, "description"),
                })
                .collect()
        })
        .unwrap_or_default();
    let values = schema
        .get("enum")
        .and_then(Value::as_array)
        .map(|vs| vs.iter().map(value_word).collect())
        .unwrap_or_default();
    let is_object = schema.get("properties").is_some();
    SchemaView {
        name: name.to_string(),
        anchor: format!("schema-{name}"),
        description: string_of(schema, "description"),
        kind: if is_object {
            Vec::new()
        } else {
            describe(schema)
        },
        properties,
        values,
    }
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The page's model, from the OpenAPI document as JSON.
fn page(doc: &Value) -> Page {
    let mut groups: BTreeMap<String, Vec<OperationView>> = BTreeMap::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let tag = op
                    .get("tags")
                    .and_then(Value::as_array)
                    .and_then(|t| t.first())
                    .and_then(Value::as_str)
                    .unwrap_or("other")
                    .to_string();
                groups
                    .entry(tag)
                    .or_default()
                    .push(operation(method, path, op));
            }
        }
    }
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.iter().map(|(n, v)| schema_view(n, v)).collect())
        .unwrap_or_default();
    Page {
        title: doc
            .pointer("/info/title")
            .and_then(Value::as_str)
            .unwrap_or("API")
            .to_string(),
        version: doc
            .pointer("/info/version")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        description: doc
            .pointer("/info/description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        groups: groups
            .into_iter()
            .map(|(tag, operations)| Group {
                anchor: anchor("tag-", &tag),
                count: operations.len(),
                tag,
                operations,
            })
            .collect(),
        schemas,
    }
}

/// Renders the page once; the document is fixed at build time.
fn rendered() -> Result<&'static str, AppError> {
    static PAGE: OnceLock<Result<String, String>> = OnceLock::new();
    PAGE.get_or_init(|| {
        let doc = serde_json::to_value(ApiDoc::openapi()).map_err(|e| e.to_string())?;
        let mut hbs = Handlebars::new();
        hbs.set_strict_mode(true);
        hbs.register_template_string("docs", TEMPLATE)
            .map_err(|e| e.to_string())?;
        hbs.render("docs", &page(&doc)).map_err(|e| e.to_string())
    })
    .as_deref()
    .map_err(|e| AppError::Internal(format!("the API reference does not render: {e}")))
}

/// The handler.
pub async fn api_docs() -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(rendered()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_nullable_array_of_a_schema_reads_as_words_with_a_link() {
        let schema =
            json!({"type": ["array", "null"], "items": {"$ref": "#/components/schemas/Case"}});
        let parts = describe(&schema);
        let words: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(words, "array of Case | null");
        assert!(parts.iter().any(|p| p.link == "Case"));
    }

    #[test]
    fn the_page_renders_every_operation_of_the_document() {
        let html = rendered().unwrap();
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        for path in doc["paths"].as_object().unwrap().keys() {
            assert!(
                html.contains(&path.replace('&', "&amp;")),
                "{path} is on the page"
            );
        }
        assert!(!html.contains("<script"), "no script");
    }
}
