//! Writing objects of printpdf's lopdf document (the embedded fonts) in PDF syntax.
//!
//! lopdf can only save a whole document from memory. The packet's pages are written by
//! [`crate::write`] as they are laid out; only the fonts come from printpdf, which
//! subsets them. [`write_reachable`] writes the objects a font dictionary reaches,
//! renumbered into the packet's numbering. The syntax follows lopdf's own writer.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};

use crate::PdfError;
use crate::write::Counted;

/// Writes `root` and every object it reaches in `lo`, numbered from `*next` on (which
/// moves past them), and returns the number `root` got.
pub(crate) fn write_reachable(
    lo: &lopdf::Document,
    root: ObjectId,
    next: &mut u32,
    out: &mut Counted<'_>,
) -> Result<u32, PdfError> {
    // Number every reachable object first (in the order found), then write each.
    let mut numbers: BTreeMap<ObjectId, u32> = BTreeMap::new();
    let mut order = Vec::new();
    let mut todo = vec![root];
    while let Some(id) = todo.pop() {
        if numbers.contains_key(&id) {
            continue;
        }
        let Ok(object) = lo.get_object(id) else {
            continue;
        };
        numbers.insert(id, *next);
        *next += 1;
        order.push(id);
        let mut found = Vec::new();
        references(object, &mut found);
        // Reversed so the first reference found is numbered first.
        todo.extend(found.into_iter().rev());
    }
    let renumber = |id: ObjectId| numbers.get(&id).copied();
    let mut buf = Vec::new();
    for id in order {
        let (Ok(object), Some(new_id)) = (lo.get_object(id), renumber(id)) else {
            continue;
        };
        out.begin((new_id, 0))?;
        buf.clear();
        object_bytes(object, &renumber, &mut buf);
        buf.extend_from_slice(b"\nendobj\n");
        out.put(&buf)?;
    }
    renumber(root).ok_or_else(|| PdfError::Write {
        detail: "the fonts could not be embedded".to_string(),
    })
}

fn references(object: &Object, found: &mut Vec<ObjectId>) {
    match object {
        Object::Reference(id) => found.push(*id),
        Object::Array(items) => items.iter().for_each(|o| references(o, found)),
        Object::Dictionary(dict) => dict.iter().for_each(|(_, o)| references(o, found)),
        Object::Stream(stream) => stream.dict.iter().for_each(|(_, o)| references(o, found)),
        _ => {}
    }
}

/// Renumbers a reference; one to nothing written becomes `null`.
type Renumber<'a> = dyn Fn(ObjectId) -> Option<u32> + 'a;

/// A space where the next token would otherwise run into the previous one.
fn separate(object: &Object, out: &mut Vec<u8>) {
    if matches!(
        object,
        Object::Null
            | Object::Boolean(_)
            | Object::Integer(_)
            | Object::Real(_)
            | Object::Reference(_)
    ) {
        out.push(b' ');
    }
}

fn object_bytes(object: &Object, renumber: &Renumber<'_>, out: &mut Vec<u8>) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(true) => out.extend_from_slice(b"true"),
        Object::Boolean(false) => out.extend_from_slice(b"false"),
        Object::Integer(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Object::Real(r) => out.extend_from_slice(real(*r).as_bytes()),
        Object::Name(name) => name_bytes(name, out),
        Object::String(text, format) => string_bytes(text, format, out),
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                object_bytes(item, renumber, out);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => dict_bytes(dict, renumber, None, out),
        Object::Stream(stream) => {
            dict_bytes(&stream.dict, renumber, Some(stream.content.len()), out);
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference(id) => match renumber(*id) {
            Some(n) => out.extend_from_slice(format!("{n} 0 R").as_bytes()),
            None => out.extend_from_slice(b"null"),
        },
    }
}

/// A dictionary; a stream's gets its real `/Length`.
fn dict_bytes(
    dict: &Dictionary,
    renumber: &Renumber<'_>,
    length: Option<usize>,
    out: &mut Vec<u8>,
) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict {
        if length.is_some() && key.as_slice() == b"Length" {
            continue;
        }
        name_bytes(key, out);
        separate(value, out);
        object_bytes(value, renumber, out);
    }
    if let Some(n) = length {
        out.extend_from_slice(format!("/Length {n}").as_bytes());
    }
    out.extend_from_slice(b">>");
}

/// A real number in plain decimal notation, as PDF wants it (never an exponent).
pub(crate) fn real(r: f32) -> String {
    if !r.is_finite() {
        return "0".to_string();
    }
    let s = format!("{r}");
    if s.contains('e') {
        format!("{r:.6}")
    } else {
        s
    }
}

pub(crate) fn name_bytes(name: &[u8], out: &mut Vec<u8>) {
    out.push(b'/');
    for &b in name {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        } else {
            out.push(b);
        }
    }
}

fn string_bytes(text: &[u8], format: &StringFormat, out: &mut Vec<u8>) {
    match format {
        StringFormat::Literal => {
            out.push(b'(');
            for &b in text {
                match b {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
            out.push(b')');
        }
        StringFormat::Hexadecimal => {
            out.push(b'<');
            for &b in text {
                out.extend_from_slice(format!("{b:02X}").as_bytes());
            }
            out.push(b'>');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(o: &Object) -> String {
        let mut out = Vec::new();
        object_bytes(o, &|(id, _)| (id != 4).then_some(id + 10), &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn objects_read_as_pdf_and_references_are_renumbered() {
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"Page".to_vec()));
        d.set("Parent", Object::Reference((3, 0)));
        d.set(
            "Box",
            Object::Array(vec![
                Object::Integer(0),
                Object::Real(612.5),
                Object::Null,
                Object::Reference((4, 0)),
            ]),
        );
        d.set(
            "T",
            Object::String(b"a(b)\\c".to_vec(), StringFormat::Literal),
        );
        d.set(
            "H",
            Object::String(vec![0xfe, 0x01], StringFormat::Hexadecimal),
        );
        d.set("N", Object::Name(b"A B#".to_vec()));
        assert_eq!(
            bytes(&Object::Dictionary(d)),
            "<</Type/Page/Parent 13 0 R/Box[0 612.5 null null]/T(a\\(b\\)\\\\c)/H<FE01>/N/A#20B#23>>"
        );
        assert_eq!(real(1e-9), "0.000000001");
        assert_eq!(real(f32::NAN), "0");
    }
}
