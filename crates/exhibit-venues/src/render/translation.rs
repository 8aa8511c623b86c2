//! The translator's certificate, for listings whose titles are not in English.

use exhibit_domain::doc::{Block, Section};

use crate::facts::script_name;
use crate::resolve::{Complaint, Listing};
use crate::text::{clean, one_line};

/// Whether a listing's title needs a translation: it is in a non-Latin script, or the
/// user gave a translation (for a Latin-script language other than English).
fn needs_translation(l: &Listing) -> bool {
    l.title_translation.is_some() || l.capture.has_non_latin_title()
}

/// A certificate of the translator's competence and accuracy, with each original title
/// next to its English translation. `None` when every title is in English.
pub fn render_translation_certificate(c: &Complaint) -> Option<Section> {
    let listings: Vec<&Listing> = c.listings.iter().filter(|l| needs_translation(l)).collect();
    if listings.is_empty() {
        return None;
    }
    let mut blocks = vec![
        Block::Paragraph(
            "I certify that I am competent to translate from the language(s) named below into English, and that each English translation in this certificate is a true, accurate and complete translation of the original title beside it, to the best of my knowledge and ability.".to_string(),
        ),
        Block::FillIn {
            label: "Translator's name".to_string(),
        },
        Block::FillIn {
            label: "Languages (from … into English)".to_string(),
        },
    ];
    let rows = listings
        .iter()
        .map(|l| {
            let title = l.capture.title.as_deref().map(one_line).unwrap_or_default();
            vec![
                format!("Exhibit {}", l.exhibit),
                script_name(&title).unwrap_or("Latin").to_string(),
                title,
                match &l.title_translation {
                    Some(t) => clean(t),
                    None => "(to be translated: see the blank below)".to_string(),
                },
            ]
        })
        .collect();
    blocks.push(Block::Table {
        header: ["Exhibit", "Script", "Original title", "English translation"]
            .map(String::from)
            .to_vec(),
        rows,
        widths: vec![1.0, 1.2, 3.5, 3.5],
    });
    let missing: Vec<&&Listing> = listings
        .iter()
        .filter(|l| l.title_translation.is_none())
        .collect();
    if !missing.is_empty() {
        blocks.push(Block::Heading {
            level: 2,
            text: "Translations to fill in".to_string(),
        });
        for l in missing {
            blocks.push(Block::FillIn {
                label: format!(
                    "Exhibit {}: {}",
                    l.exhibit,
                    l.capture.title.as_deref().map(one_line).unwrap_or_default()
                ),
            });
        }
    }
    blocks.push(Block::Space(12.0));
    blocks.push(Block::FillIn {
        label: "Translator's signature".to_string(),
    });
    blocks.push(Block::FillIn {
        label: "Date".to_string(),
    });
    Some(Section::new("Certificate of translation", blocks))
}
