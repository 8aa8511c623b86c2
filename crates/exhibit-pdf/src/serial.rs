//! Writing printpdf's lopdf document after the image objects, in PDF syntax.
//!
//! lopdf can only save a whole document from memory; the images are already in the
//! file, so its objects are written here instead, each renumbered past the images, and
//! the one XObject dictionary every page shares (which printpdf leaves empty) is
//! written naming every image. The syntax follows lopdf's own writer.

use lopdf::{Dictionary, Object, ObjectId, StringFormat};

use crate::PdfError;
use crate::write::{Counted, Written, image_name};

/// Writes every object of `lo`, numbered after the `images` already written, then the
/// cross-reference table and the trailer.
pub(crate) fn write_document(
    lo: &lopdf::Document,
    images: &[u32],
    mut out: Counted<'_>,
) -> Result<Written, PdfError> {
    let shift = images.iter().copied().max().unwrap_or(0);
    let xobjects = shared_xobject_dict(lo);
    let mut max = shift;
    let mut buf = Vec::new();
    for (&(id, generation), object) in &lo.objects {
        let new_id = id + shift;
        max = max.max(new_id);
        out.begin((new_id, generation))?;
        buf.clear();
        if Some((id, generation)) == xobjects {
            buf.extend_from_slice(b"<<");
            for &image in images {
                buf.extend_from_slice(format!("/{} {image} 0 R", image_name(image)).as_bytes());
            }
            buf.extend_from_slice(b">>");
        } else {
            object_bytes(object, shift, &mut buf);
        }
        buf.extend_from_slice(b"\nendobj\n");
        out.put(&buf)?;
    }
    let mut trailer = Vec::new();
    for key in [&b"Root"[..], b"Info"] {
        if let Ok(value) = lo.trailer.get(key) {
            name_bytes(key, &mut trailer);
            separate(value, &mut trailer);
            object_bytes(value, shift, &mut trailer);
        }
    }
    out.finish_with(max, &trailer)
}

/// The XObject dictionary the pages share, as printpdf makes it: the first page's
/// resources name it.
fn shared_xobject_dict(lo: &lopdf::Document) -> Option<ObjectId> {
    let page = *lo.get_pages().values().next()?;
    let page = lo.get_dictionary(page).ok()?;
    let resources = match page.get(b"Resources").ok()? {
        Object::Reference(id) => lo.get_dictionary(*id).ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    resources.get(b"XObject").ok()?.as_reference().ok()
}

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

fn object_bytes(object: &Object, shift: u32, out: &mut Vec<u8>) {
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
                object_bytes(item, shift, out);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => dict_bytes(dict, shift, None, out),
        Object::Stream(stream) => {
            dict_bytes(&stream.dict, shift, Some(stream.content.len()), out);
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((id, generation)) => {
            out.extend_from_slice(format!("{} {generation} R", id + shift).as_bytes());
        }
    }
}

/// A dictionary; a stream's gets its real `/Length`.
fn dict_bytes(dict: &Dictionary, shift: u32, length: Option<usize>, out: &mut Vec<u8>) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict {
        if length.is_some() && key.as_slice() == b"Length" {
            continue;
        }
        name_bytes(key, out);
        separate(value, out);
        object_bytes(value, shift, out);
    }
    if let Some(n) = length {
        out.extend_from_slice(format!("/Length {n}").as_bytes());
    }
    out.extend_from_slice(b">>");
}

/// A real number in plain decimal notation, as PDF wants it (never an exponent).
fn real(r: f32) -> String {
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

fn name_bytes(name: &[u8], out: &mut Vec<u8>) {
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
        object_bytes(o, 10, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn objects_read_as_pdf_and_references_move_past_the_images() {
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"Page".to_vec()));
        d.set("Parent", Object::Reference((3, 0)));
        d.set(
            "Box",
            Object::Array(vec![Object::Integer(0), Object::Real(612.5), Object::Null]),
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
            "<</Type/Page/Parent 13 0 R/Box[0 612.5 null]/T(a\\(b\\)\\\\c)/H<FE01>/N/A#20B#23>>"
        );
        assert_eq!(real(1e-9), "0.000000001");
        assert_eq!(real(f32::NAN), "0");
    }
}
