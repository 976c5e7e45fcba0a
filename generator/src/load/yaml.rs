//! YAML → JSON value. `serde_yaml::Value` cannot hold an integer outside 64 bits (real specs
//! write `minimum: -9223372036854776000`, a float printed as an integer) and JSON cannot hold a
//! non-string key, so the document is read into a tree of its own first and then converted with
//! a pointer for what cannot be represented.

use std::fmt;

use serde::de::{
    Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_json::{Map, Number, Value};

use super::escape_pointer;
use crate::error::{Error, Result};

/// Parse YAML text into JSON; errors carry a line and column, or a pointer.
pub fn parse(text: &str) -> Result<Value> {
    let node: Node = serde_yaml::from_str(text).map_err(|e| {
        let location = e
            .location()
            .map(|l| format!("line {} column {}", l.line(), l.column()))
            .unwrap_or_else(|| "start of file".into());
        Error::at(location, format!("invalid YAML: {e}"))
    })?;
    to_json(node, "#")
}

/// One YAML node as parsed. Integers keep 128 bits so nothing is lost before conversion.
#[derive(Debug)]
enum Node {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

fn to_json(node: Node, pointer: &str) -> Result<Value> {
    Ok(match node {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(b),
        Node::Int(i) => integer(i),
        Node::Float(f) => float(f, pointer)?,
        Node::String(s) => Value::String(s),
        Node::Seq(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| to_json(v, &format!("{pointer}/{i}")))
                .collect::<Result<_>>()?,
        ),
        Node::Map(entries) => {
            let mut out = Map::new();
            for (k, v) in entries {
                let key = match k {
                    Node::String(s) => s,
                    Node::Int(i) => i.to_string(),
                    Node::Float(f) => f.to_string(),
                    Node::Bool(b) => b.to_string(),
                    other => {
                        return Err(Error::at(
                            pointer,
                            format!("unsupported mapping key {other:?}"),
                        ))
                    }
                };
                let child = format!("{pointer}/{}", escape_pointer(&key));
                out.insert(key, to_json(v, &child)?);
            }
            Value::Object(out)
        }
    })
}

/// An integer JSON can hold exactly, else the nearest float (what a JSON reader makes of the
/// same digits); lowering decides what a Rust type can keep of it.
fn integer(i: i128) -> Value {
    if let Ok(small) = i64::try_from(i) {
        Value::from(small)
    } else if let Ok(unsigned) = u64::try_from(i) {
        Value::from(unsigned)
    } else {
        Number::from_f64(i as f64).map_or(Value::Null, Value::Number)
    }
}

fn float(f: f64, pointer: &str) -> Result<Value> {
    Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| Error::at(pointer, format!("number {f} cannot be represented in JSON")))
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> std::result::Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> std::result::Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_bool<E>(self, b: bool) -> std::result::Result<Node, E> {
        Ok(Node::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> std::result::Result<Node, E> {
        Ok(Node::Int(i.into()))
    }

    fn visit_u64<E>(self, u: u64) -> std::result::Result<Node, E> {
        Ok(Node::Int(u.into()))
    }

    fn visit_i128<E>(self, i: i128) -> std::result::Result<Node, E> {
        Ok(Node::Int(i))
    }

    fn visit_u128<E>(self, u: u128) -> std::result::Result<Node, E> {
        // Above i128::MAX only the float is meaningful.
        Ok(i128::try_from(u).map_or(Node::Float(u as f64), Node::Int))
    }

    fn visit_f64<E>(self, f: f64) -> std::result::Result<Node, E> {
        Ok(Node::Float(f))
    }

    fn visit_str<E>(self, s: &str) -> std::result::Result<Node, E> {
        Ok(Node::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> std::result::Result<Node, E> {
        Ok(Node::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }

    /// A tagged value (`!Ref x`): the tag means nothing to OpenAPI; keep the value.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> std::result::Result<Node, A::Error> {
        let (_tag, variant): (String, _) = data.variant()?;
        variant.newtype_variant()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integers_beyond_64_bits_become_floats() {
        let err = parse("a: .inf\n").unwrap_err();
        assert!(
            err.to_string().contains("at #/a"),
            "infinity has no JSON form: {err}"
        );
        let value = parse("a: -9223372036854776000\nb: 18446744073709551615\nc: 3\n").unwrap();
        assert_eq!(value["a"], json!(-9.223372036854776e18));
        assert_eq!(value["b"], json!(18446744073709551615u64));
        assert_eq!(value["c"], json!(3));
    }

    #[test]
    fn keys_and_tags() {
        let value = parse("200: ok\ntrue: yes\nx: !custom {y: 1}\n").unwrap();
        assert_eq!(value, json!({"200": "ok", "true": "yes", "x": {"y": 1}}));
        let err = parse("? [1, 2]\n: v\n").unwrap_err();
        assert!(err.to_string().contains("unsupported mapping key"), "{err}");
    }
}
