//! Rules every venue shares: contacts, rights, attachments, dates, stray tables.

use exhibit_venues::{AttachmentsPresent, validate};

use crate::support::*;

#[test]
fn bad_email_and_phone_are_errors() {
    let text = valid("eu-dsa")
        .replace("legal@acme-lantern.example", "legal at acme")
        .replace("+1 503 555 0100", "call the office");
    let issues = check(&text, &ok(3));
    assert_error(
        &issues,
        "rights_holder.email",
        "\"legal at acme\" does not look like an email address",
    );
    assert_error(&issues, "rights_holder.phone", "does not look like one");
}

#[test]
fn agent_contact_is_checked_too() {
    let text = format!(
        "{}\n[agent]\nname = \"Lee Law LLP\"\nemail = \"lee@\"\n",
        valid("eu-dsa")
    );
    assert_error(&check(&text, &ok(3)), "agent.email", "The agent's email");
}

#[test]
fn missing_rights_holder_name_is_an_error() {
    let text = valid("eu-dsa").replace("name = \"Jane Doe\"\norganization", "organization");
    assert_error(
        &check(&text, &ok(3)),
        "rights_holder.name",
        "Give the rights holder's name",
    );
}

#[test]
fn signature_date_must_be_a_date() {
    let text = valid("eu-dsa").replace("date = \"2026-11-28\"", "date = \"last Tuesday\"");
    assert_error(
        &check(&text, &ok(3)),
        "signature.date",
        "The signature date \"last Tuesday\" is not a date: write it as YYYY-MM-DD",
    );
    let text = valid("eu-dsa").replace("date = \"2026-11-28\"", "date = \"2026-02-30\"");
    assert_error(&check(&text, &ok(3)), "signature.date", "is not a date");
}

#[test]
fn declaration_needs_declarant_and_where_it_is_signed() {
    let text = valid("eu-dsa").replace("within_us = true\ndeclarant = \"Jane Doe\"\n", "");
    let issues = check(&text, &ok(3));
    assert_error(&issues, "declaration.within_us", "within_us = true");
    assert_error(
        &issues,
        "declaration.declarant",
        "Name who makes the declaration",
    );
}

#[test]
fn missing_declaration_table_is_a_warning() {
    let text = valid("eu-dsa").replace(DECLARATION, "");
    let issues = check(&text, &ok(3));
    assert_no_errors(&issues);
    assert_warning(&issues, "declaration", "printed with blanks");
}

#[test]
fn a_table_for_another_venue_is_a_warning() {
    let text = format!(
        "{}\n[amazon]\nmarketplace_country = \"US\"\n",
        valid("eu-dsa")
    );
    assert_warning(&check(&text, &ok(3)), "amazon", "it is ignored");
}

#[test]
fn duplicate_and_missing_right_ids_are_errors() {
    let text = format!("{}{TM}", valid("eu-dsa"));
    assert_error(
        &check(&text, &ok(3)),
        "right[1].id",
        "Two rights have the id \"TM-1\"",
    );
    let text = valid("eu-dsa").replace("id = \"TM-1\"", "id = \"\"");
    assert_error(
        &check(&text, &ok(3)),
        "right[0].id",
        "Give right 1 a short id",
    );
    let text = valid("eu-dsa").replace(TM, "");
    assert_error(&check(&text, &ok(3)), "right", "Add at least one [[right]]");
}

#[test]
fn certificate_paths_must_stay_inside_the_complaint_folder() {
    for bad in ["/etc/passwd", "../outside.pdf", "certificates/../../x.pdf"] {
        let text = valid("eu-dsa").replace("certificates/acme-uspto.pdf", bad);
        assert_error(
            &check(&text, &ok(3)),
            "right[0].certificates[0]",
            "must be a path relative to the complaint file",
        );
    }
}

#[test]
fn a_certificate_not_found_is_an_error_and_a_found_one_is_not() {
    let f = parse(&valid("eu-dsa"));
    let none = validate(&f, &ok(3), &AttachmentsPresent::new(Vec::<String>::new()));
    assert_error(
        &none,
        "right[0].certificates[0]",
        "was not found next to the complaint file",
    );
    let found = validate(
        &f,
        &ok(3),
        &AttachmentsPresent::new(["certificates/acme-uspto.pdf"]),
    );
    assert_no_errors(&found);
}

#[test]
fn a_right_of_the_wrong_kind_for_the_infringement_is_a_warning() {
    let text = valid("eu-dsa").replace(
        "infringement = \"counterfeit\"",
        "infringement = \"copied-photos\"",
    );
    assert_warning(
        &check(&text, &ok(2)),
        "listings",
        "usually claimed under a copyright",
    );
}

#[test]
fn unused_right_is_a_warning() {
    let text = format!("{}{COPYRIGHT}", valid("eu-dsa"));
    assert_warning(&check(&text, &ok(2)), "right[1].id", "No listing names C-1");
}
