//! Writes the `wsdl:types` section: the Services88 schema with the header
//! elements, the operations' wrapper elements and every named type they reach,
//! plus the WCF arrays schema when a type of it is referenced.

use super::ns;
use super::xml::Writer;
use crate::contract::catalog;
use crate::contract::model::{Field, Occurs, OperationSpec, Ty, TypeDef};

/// The named types a document needs, in catalog order.
struct Needed {
    tns: Vec<&'static TypeDef>,
    arrays: Vec<&'static TypeDef>,
}

/// A type the static tables reference, looked up in the catalog. Every reference
/// resolves (a broken table is a programming error, caught in debug builds by every
/// test that renders a document); a release build serving `?wsdl` leaves an unknown
/// type out rather than take the request down.
fn known(def: Option<&'static TypeDef>, name: &str) -> Option<&'static TypeDef> {
    debug_assert!(def.is_some(), "the wsdl catalog has no type {name}");
    def
}

impl Needed {
    /// Transitive closure of the types reachable from `roots`.
    fn closure<'a>(roots: impl IntoIterator<Item = &'a Field>) -> Needed {
        let mut tns: Vec<&'static str> = Vec::new();
        let mut arrays: Vec<&'static str> = Vec::new();
        let mut work: Vec<Ty> = roots.into_iter().map(|f| f.ty).collect();
        while let Some(ty) = work.pop() {
            match ty {
                Ty::Xs(_) => {}
                Ty::Inline(fields) => work.extend(fields.iter().map(|f| f.ty)),
                Ty::Arrays(name) => {
                    if !arrays.contains(&name) {
                        arrays.push(name);
                        if let Some(def) = known(catalog::array_type(name), name) {
                            work.extend(fields_of(def).iter().map(|f| f.ty));
                        }
                    }
                }
                Ty::Tns(name) => {
                    if !tns.contains(&name) {
                        tns.push(name);
                        let Some(def) = known(catalog::tns_type(name), name) else {
                            continue;
                        };
                        work.extend(fields_of(def).iter().map(|f| f.ty));
                        if let TypeDef::Complex {
                            base: Some(base), ..
                        } = def
                        {
                            work.push(Ty::Tns(base));
                        }
                    }
                }
            }
        }
        Needed {
            tns: catalog::TYPES
                .iter()
                .filter(|t| tns.contains(&t.name()))
                .collect(),
            arrays: catalog::ARRAY_TYPES
                .iter()
                .filter(|t| arrays.contains(&t.name()))
                .collect(),
        }
    }
}

fn fields_of(def: &TypeDef) -> &'static [Field] {
    match def {
        TypeDef::Complex { fields, .. } => fields,
        TypeDef::Enum { .. } | TypeDef::Flags { .. } => &[],
    }
}

/// Writes `<wsdl:types>` for these header elements and operations.
pub(crate) fn write_types(
    w: &mut Writer,
    headers: &[&'static Field],
    ops: &[&'static OperationSpec],
) {
    let roots = headers.iter().copied().chain(
        ops.iter()
            .flat_map(|op| op.params.iter().chain(op.response.iter())),
    );
    let needed = Needed::closure(roots);

    w.open("wsdl:types", &[]);
    let mut schema_attrs = vec![
        ("elementFormDefault", "qualified"),
        ("targetNamespace", ns::SERVICES88),
        ("xmlns:xs", ns::XSD),
    ];
    if !needed.arrays.is_empty() {
        schema_attrs.push(("xmlns:arr", ns::ARRAYS));
    }
    w.open("xs:schema", &schema_attrs);
    if !needed.arrays.is_empty() {
        w.empty("xs:import", &[("namespace", ns::ARRAYS)]);
    }
    for header in headers {
        write_field(w, header, true);
    }
    let mut written: Vec<&str> = Vec::new();
    for op in ops {
        for (name, fields) in [(op.name, op.params), (op.response_element, op.response)] {
            if !written.contains(&name) {
                written.push(name);
                write_wrapper(w, name, fields);
            }
        }
    }
    for def in &needed.tns {
        write_named_type(w, def, "tns");
    }
    w.close("xs:schema");

    if !needed.arrays.is_empty() {
        w.open(
            "xs:schema",
            &[
                ("elementFormDefault", "qualified"),
                ("targetNamespace", ns::ARRAYS),
                ("xmlns:xs", ns::XSD),
                ("xmlns:tns", ns::ARRAYS),
            ],
        );
        for def in &needed.arrays {
            write_named_type(w, def, "tns");
        }
        w.close("xs:schema");
    }
    w.close("wsdl:types");
}

/// The QName of a type, as seen from the Services88 schema.
fn type_qname(ty: Ty) -> Option<String> {
    match ty {
        Ty::Xs(name) => Some(format!("xs:{name}")),
        Ty::Tns(name) => Some(format!("tns:{name}")),
        Ty::Arrays(name) => Some(format!("arr:{name}")),
        Ty::Inline(_) => None,
    }
}

/// `<xs:element …/>`; a `global` element has no occurrence attributes.
fn write_field(w: &mut Writer, f: &Field, global: bool) {
    let mut attrs: Vec<(&str, &str)> = Vec::new();
    if !global {
        match f.occurs {
            Occurs::Once => {}
            Occurs::Optional => attrs.push(("minOccurs", "0")),
            Occurs::Many => {
                attrs.push(("minOccurs", "0"));
                attrs.push(("maxOccurs", "unbounded"));
            }
        }
    }
    attrs.push(("name", f.name));
    if f.nillable {
        attrs.push(("nillable", "true"));
    }
    match type_qname(f.ty) {
        Some(qname) => {
            attrs.push(("type", &qname));
            w.empty("xs:element", &attrs);
        }
        None => {
            w.open("xs:element", &attrs);
            if let Ty::Inline(fields) = f.ty {
                write_complex_body(w, fields);
            }
            w.close("xs:element");
        }
    }
}

/// `<xs:complexType><xs:sequence>…</xs:sequence></xs:complexType>`.
fn write_complex_body(w: &mut Writer, fields: &[Field]) {
    w.open("xs:complexType", &[]);
    write_sequence(w, fields);
    w.close("xs:complexType");
}

fn write_sequence(w: &mut Writer, fields: &[Field]) {
    if fields.is_empty() {
        w.empty("xs:sequence", &[]);
        return;
    }
    w.open("xs:sequence", &[]);
    for f in fields {
        write_field(w, f, false);
    }
    w.close("xs:sequence");
}

/// A document/literal wrapper element of an operation's request or response.
fn write_wrapper(w: &mut Writer, name: &str, fields: &[Field]) {
    w.open("xs:element", &[("name", name)]);
    write_complex_body(w, fields);
    w.close("xs:element");
}

/// A named type followed by WCF's nillable global element of the same name.
fn write_named_type(w: &mut Writer, def: &TypeDef, prefix: &str) {
    match def {
        TypeDef::Complex { name, base, fields } => {
            w.open("xs:complexType", &[("name", name)]);
            if let Some(base) = base {
                let base = format!("tns:{base}");
                w.open("xs:complexContent", &[("mixed", "false")]);
                w.open("xs:extension", &[("base", &base)]);
                write_sequence(w, fields);
                w.close("xs:extension");
                w.close("xs:complexContent");
            } else {
                write_sequence(w, fields);
            }
            w.close("xs:complexType");
        }
        TypeDef::Enum { name, values } => {
            w.open("xs:simpleType", &[("name", name)]);
            write_restriction(w, values);
            w.close("xs:simpleType");
        }
        TypeDef::Flags { name, values } => {
            w.open("xs:simpleType", &[("name", name)]);
            w.open("xs:list", &[]);
            w.open("xs:simpleType", &[]);
            write_restriction(w, values);
            w.close("xs:simpleType");
            w.close("xs:list");
            w.close("xs:simpleType");
        }
    }
    let qname = format!("{prefix}:{}", def.name());
    w.empty(
        "xs:element",
        &[("name", def.name()), ("nillable", "true"), ("type", &qname)],
    );
}

fn write_restriction(w: &mut Writer, values: &[&str]) {
    w.open("xs:restriction", &[("base", "xs:string")]);
    for value in values {
        w.empty("xs:enumeration", &[("value", value)]);
    }
    w.close("xs:restriction");
}
