//! The contract's types as OpenAPI 3.0 schemas, in the JSON shapes NetServer's WebApi
//! gives them: integers as `int32`, enums and `[Flags]` enums as strings, a carrier's
//! base fields folded into it, WCF arrays (`ArrayOfX`) as JSON arrays and WCF
//! dictionaries (a sequence of `Key`/`Value` pairs) as JSON objects.
//!
//! Complex types become named component schemas under SuperOffice's .NET names
//! (`SuperOffice.CRM.Services.UserValidationResult`); everything else is inlined where
//! it is used, as SuperOffice's own OpenAPI files do.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::contract::catalog;
use crate::contract::model::{Field, Occurs, Ty, TypeDef};

/// The .NET namespace of a catalog type in SuperOffice's WebApi schemas: rights live in
/// `SuperOffice.CRM.Security`, every other carrier in `SuperOffice.CRM.Services`.
fn dotnet_namespace(name: &str) -> &'static str {
    match name {
        "TableRight" | "FieldRight" | "FieldProperty" => "SuperOffice.CRM.Security",
        _ => "SuperOffice.CRM.Services",
    }
}

/// The component name of a named complex type.
pub(crate) fn component_name(name: &str) -> String {
    format!("{}.{name}", dotnet_namespace(name))
}

/// `#/components/schemas/<component>`.
pub(crate) fn reference(component: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{component}") })
}

/// Named schemas reached so far, by component name.
#[derive(Default)]
pub(crate) struct Components {
    pub(crate) schemas: BTreeMap<String, Value>,
}

impl Components {
    /// The schema of a value of type `ty`; named complex types are added to the
    /// components (once) and referred to.
    pub(crate) fn schema(&mut self, ty: Ty) -> Value {
        match ty {
            Ty::Xs(xs) => xs_schema(xs),
            Ty::Arrays(name) => match catalog::array_type(name) {
                Some(def) => self.type_schema(def),
                None => json!({}),
            },
            Ty::Inline(fields) => self.object(fields),
            Ty::Tns(name) => match catalog::tns_type(name) {
                Some(def) => self.type_schema(def),
                None => json!({}),
            },
        }
    }

    /// A property's schema: nillable fields may be `null`. OpenAPI 3.0 ignores the
    /// siblings of a `$ref`, so a nillable reference is wrapped in `allOf`.
    pub(crate) fn property(&mut self, field: &Field) -> Value {
        let schema = self.schema(field.ty);
        if !field.nillable {
            return schema;
        }
        match schema {
            Value::Object(mut map) if !map.contains_key("$ref") => {
                map.insert("nullable".into(), Value::Bool(true));
                Value::Object(map)
            }
            other => json!({ "allOf": [other], "nullable": true }),
        }
    }

    /// An object with these fields as optional properties (every field of the contract
    /// may be left out: WCF's `minOccurs="0"`).
    pub(crate) fn object(&mut self, fields: &[Field]) -> Value {
        let mut properties = Map::new();
        for field in fields {
            properties.insert(field.name.into(), self.property(field));
        }
        json!({ "type": "object", "properties": properties })
    }

    fn type_schema(&mut self, def: &'static TypeDef) -> Value {
        match *def {
            TypeDef::Enum { values, .. } => json!({ "type": "string", "enum": values }),
            // A `[Flags]` value travels as its names joined by commas.
            TypeDef::Flags { .. } => json!({ "type": "string" }),
            TypeDef::Complex { name, base, fields } => {
                if let Some(collection) = self.collection(fields) {
                    return collection;
                }
                let component = component_name(name);
                if !self.schemas.contains_key(&component) {
                    // Placeholder first, so a type that reaches itself ends.
                    self.schemas.insert(component.clone(), Value::Null);
                    let mut all: Vec<Field> = Vec::new();
                    if let Some(TypeDef::Complex {
                        fields: inherited, ..
                    }) = base.and_then(catalog::tns_type)
                    {
                        all.extend_from_slice(inherited);
                    }
                    all.extend_from_slice(fields);
                    let schema = self.object(&all);
                    self.schemas.insert(component.clone(), schema);
                }
                reference(&component)
            }
        }
    }

    /// A type whose only field repeats is a collection: a JSON object when its items
    /// are `Key`/`Value` pairs (a WCF dictionary), a JSON array otherwise.
    fn collection(&mut self, fields: &[Field]) -> Option<Value> {
        let [item] = fields else { return None };
        if item.occurs != Occurs::Many {
            return None;
        }
        if let Ty::Inline([key, value]) = item.ty {
            if key.name == "Key" && value.name == "Value" {
                let values = self.property(value);
                return Some(json!({ "type": "object", "additionalProperties": values }));
            }
        }
        let items = self.property(item);
        Some(json!({ "type": "array", "items": items }))
    }
}

/// A built-in XML Schema type in JSON.
fn xs_schema(xs: &str) -> Value {
    match xs {
        "int" => json!({ "type": "integer", "format": "int32" }),
        "long" => json!({ "type": "integer", "format": "int64" }),
        "boolean" => json!({ "type": "boolean" }),
        "dateTime" => json!({ "type": "string", "format": "date-time" }),
        "double" => json!({ "type": "number", "format": "double" }),
        _ => json!({ "type": "string" }),
    }
}
