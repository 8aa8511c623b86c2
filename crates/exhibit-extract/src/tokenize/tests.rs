use super::*;

/// This tokenizer's trees of `src` (with and without bodies) must be html5ever's;
/// `false` when it left the page to html5ever. Extraction's tree must be the same
/// either way.
fn same(src: &str) -> bool {
    let read = check(src).unwrap_or_else(|diff| panic!("{diff}"));
    let reference = dump(&Html::parse_document(src), false);
    assert_eq!(dump(&parse_document(src), false), reference, "{src:?}");
    read
}

#[test]
fn what_it_reads_makes_html5evers_tree() {
    let cases = [
        "",
        "plain text",
        "<!DOCTYPE html><html lang=en><head><title>T &amp; U</title></head><body><p>x</p></body></html>",
        "<!doctype HTML><p class=a CLASS=b id=x>dup</p>",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\"><table><p>quirks?</table>",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\"><table><p>q</table>",
        "<!DOCTYPE html PUBLIC '-//W3C//DTD HTML 4.01//EN' 'http://www.w3.org/TR/html4/strict.dtd'>x",
        "<!DOCTYPE html SYSTEM \"about:legacy-compat\"><p>s",
        "<!DOCTYPE html PUBLIC \"-//W3O//DTD W3 HTML Strict 3.0//EN//\">x",
        "<!DOCTYPE svg><p>other name",
        "no doctype <table><p>quirks</table>",
        "<p>a < b <3 </p>",
        "<a href=x&y=1&amp;z=2&copy=3&copy;&copyx &copy >l</a>",
        "<p>&notit; &notin; &not &noti &amp &AMP; &ampx; &#; &#x; &#x41; &#65 &#0; &#128; &#x9F; &#xD800; &#99999999999; &#x110000;</p>",
        "<p title='&notit;' alt=\"&not=\" data-x=&not;>t</p>",
        "<p>&NotNestedGreaterGreater; &acE; &bne;</p>",
        "<div a=1 a=2 b = 3 c= '4' d =\"5\" e f/ g=/ h=x/>x</div>",
        "<div =a ==b>x</div>",
        "<div a=\"1\"b=2>x</div>",
        "<div a='x\"y' b=\"x'y\" c=x\"y d=x'y e=x<y f=x=y g=`x`>q</div>",
        "<div/ / a/b>x</div>",
        "<br/><br /><img src=a/><p/>x",
        "</br></p><p>end",
        "</3 x><?xml version=\"1.0\"?><!x y><!-x-->z",
        "</>text",
        "<!----><!--><!---><!-- a -- b --><!-- <!-- nested --><!--a--->z<!------>",
        "<TABLE><TR><TD>1<TD>2</TABLE>",
        "<table><tr>x<td>1</table>",
        "<table> <tr> <td> a </td> </tr> </table>",
        "<title>a <b> &amp; </title> <textarea>\n\nx &lt; </textarea><pre>\n\nline</pre><pre>&#10;ref</pre>",
        "<listing>\nx</listing><textarea><!-- c --></textarea>",
        "<style>p > a { color: red } </Style ><p>after</p><style>x</stylex></style>",
        "<script>a < b && c </SCRIPT><p>x</p><script type=\"application/ld+json\">{\"a\":\"</b>\"}</script>",
        "<script>if (a</scripts) {}</script><p>z</p>",
        "<noscript><p>in</p></noscript><noframes>x</noframes><xmp><b>x</b></xmp><iframe><p></iframe><noembed>n</noembed>",
        "<svg viewBox='0 0 1 1'><path d='M0'/><title>t</title><style>s</style><foreignObject><p>f</p></foreignObject><a xlink:href=#x>l</a></svg>",
        "<math><mi>x</mi><annotation-xml encoding=text/html><p>h</p></annotation-xml></math>",
        "<svg><script>var x = '<p>';</script></svg><p>w</p>",
        "<select><option>a<option>b</select><select><p>c</select>",
        "<template><td>x</td></template><p>y",
        "<frameset><frame></frameset>",
        "<body><body a=b><html c=d><p>x",
        "<head><meta charset=utf-8><meta http-equiv=Content-Type content='text/html; charset=gbk'><link rel=canonical href=/x></head>",
        "<ul><li>a<li>b</ul><dl><dt>c<dd>d</dl>",
        "<a><b><a>x</b>y</a>",
        "<p><div>x</p></div>",
        "<h1><h2>x</h1>",
        "<form><form>x</form>",
        "<button><button>x",
        "<é a=1>ü</é><DIV Ä=1>x</DIV>",
        "中文<p>中文&nbsp;文本</p>",
        "\u{FEFF}<p>bom</p>",
        "a\r\nb\rc<p title='x\r\ny'>\r</p><pre>\r\nz</pre>",
        "\r\r\n<p>\n\r\r</p>\r\n\r\n<pre>\r\r\nq\r</pre>\r",
        "<div class=\"unterminated",
        "<div class=unterminated",
        "<div a",
        "<div a=",
        "<div a ",
        "<div /",
        "<div",
        "<",
        "a<",
        "<title>unterminated",
        "<textarea>x</textare",
        "<style>unterminated",
        "<script>unterminated",
        "<p>&",
        "<p>&#",
        "<p>&#x",
        "<p>&am",
        "<p>&amp",
        "<p>&#12",
        "<svg><![CDATA[ <p> &amp; ]]]></svg><![CDATA[ x ]]><p>y",
        "<math><mi><![CDATA[x]]></mi><mtext><![CDATA[y]]></mtext></math>",
        "<![if !IE]><p>x</p><![endif]>",
    ];
    let mut read = 0;
    for c in cases {
        if same(c) {
            read += 1;
        }
    }
    // All of these are read here, not left to html5ever.
    assert_eq!(read, cases.len());
}

/// The cases the prescan this tokenizer replaced was tested on: where script and style
/// bodies really start and end.
#[test]
fn script_and_style_bodies_end_where_html5ever_ends_them() {
    for c in [
        "<p>a</p><!-- <script> --><p>b</p><script>x</script>",
        "<!--><script>x</script><p>c</p>",
        "<!---><script>x</script><p>c</p>",
        "<!-- a --!><script>x</script><p>c</p>",
        "<div title='<script>'>d</div><script>x</script><p>e</p>",
        "<div title=\"a\"b><script>y</script></div>",
        "<div a=b'<script>'>z</div><script>s</script>",
        "<textarea><script>x</script></textarea><p>t</p><script>1</script>",
        "<title>a <script> b</title><script>2</script><p>q</p>",
        "<noscript><script>x</script></noscript><script>3</script>",
        "<script><!-- <script> </script> --></script><p>in</p></script><p>out</p>",
        "<script><!-- a </script><p>after</p>",
        "<script><!--></script><p>after</p>",
        "<script>a</SCRIPT ><p>x</p><script>b</script foo='>'><p>y</p>",
        "<script>if (a</scripts) {}</script><p>z</p>",
        "<svg><script>var x = '<p>';</script><style>a{}</style></svg><script>q</script><p>w</p>",
        "<svg><title>t</title><path d='<'/></svg><style>b{}</style><p>v</p>",
        "<svg><g><div>x</div></g></svg><script>q</script>",
        "<math><mi><script>x</script></mi></math><script>y</script>",
        "<svg><![CDATA[ <script> ]]></svg><script>z</script><p>k</p>",
        "<select><style>a</style></select><script>x</script>",
        "<select><option>a<script>b</script></select><style>c</style>",
        "<plaintext><script>x</script>",
        "<script>unterminated",
        "<style>unterminated",
        "<div class=\"unterminated",
        "</ p><script>x</script><!doctype html><? pi ><script>y</script>",
        "<script type=\"application/ld&#43;json\">{}</script>",
        "<p>a < b</p><script>x</script><a href=x>l</a>",
        "<iframe><script>x</script></iframe><script>y</script>",
        "<script/><p>in script</p></script><p>after</p>",
        "<table><script>x</script><tr><td><style>s</style>c</td></tr></table>",
    ] {
        same(c);
    }
}

#[test]
fn the_intricate_cases_are_left_to_html5ever() {
    for c in [
        "<p>a\0b</p>",
        "<plaintext><p>x",
        "<svg><![CDATA[ <p> ]] >",
        "<!-- a --!><p>c</p>",
        "<!-- unterminated",
        "<!doctype>x",
        "<!doctypehtml>x",
        "<!DOCTYPE html PUBLIC>x",
        "<!DOCTYPE html PUBLIC \"a>b\">x",
        "<!DOCTYPE html BOGUS>x",
        "<!DOCTYPE html",
        "<!x",
        "</",
        "<?x",
    ] {
        assert!(read_tree(c, Bodies::Keep).is_err(), "{c:?}");
        assert!(read_tree(c, Bodies::Drop).is_err(), "{c:?}");
        // The tree is still html5ever's.
        same(c);
    }
}

/// A document of `pieces` fragments drawn from the constructs the tokenizer reads and
/// those it leaves to html5ever.
fn soup(seed: &mut u64, pieces: usize) -> String {
    const BITS: &[&str] = &[
        "<",
        ">",
        "</",
        "/",
        "=",
        "\"",
        "'",
        " ",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "a",
        "x y",
        "é",
        "中",
        "&",
        "&amp;",
        "&amp",
        "&notit;",
        "&not",
        "&copy=",
        "&#",
        "&#x",
        "&#x41;",
        "&#128;",
        "&#0;",
        "&#99999999;",
        "&lt",
        "&ampx",
        "<!--",
        "-->",
        "--",
        "<!-->",
        "<!--->",
        "--!>",
        "<!doctype html>",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">",
        "<!DOCTYPE html SYSTEM 'x'>",
        "<!x>",
        "<?x>",
        "</3>",
        "</>",
        "<p>",
        "</p>",
        "<P CLASS=a>",
        "<div id=a id=b>",
        "</div>",
        "<a href=x&y=1>",
        "<a href='&quot;'>",
        "</a>",
        "<b>",
        "</b>",
        "<i>",
        "<br/>",
        "</br>",
        "<img src=a alt=b/>",
        "<table>",
        "<tr>",
        "<td>",
        "</td>",
        "</table>",
        "<tbody>",
        "<caption>",
        "<svg>",
        "</svg>",
        "<math>",
        "<foreignObject>",
        "<desc>",
        "<path d=x/>",
        "<title>",
        "</title>",
        "<textarea>",
        "</textarea>",
        "<script>",
        "</script>",
        "</SCRIPT >",
        "<script type=application/ld+json>",
        "<style>",
        "</style>",
        "<noscript>",
        "</noscript>",
        "<iframe>",
        "</iframe>",
        "<xmp>",
        "<pre>",
        "<listing>",
        "<select>",
        "<option>",
        "</select>",
        "<template>",
        "</template>",
        "<frameset>",
        "<frame>",
        "<plaintext>",
        "<![CDATA[",
        "]]>",
        "<html lang=en>",
        "<head>",
        "</head>",
        "<body>",
        "</body>",
        "<meta charset=utf-8>",
        "<form>",
        "<button>",
        "<li>",
        "<ul>",
        "<h1>",
        "<h2>",
        "<font color=red>",
        "<nobr>",
        "<marquee>",
        "<object>",
        "<col>",
        "<colgroup>",
        "<hr>",
        "<input type=hidden>",
        "<input>",
        "<image>",
        "<isindex>",
        "<a =b ==c d/ e='f'g>",
        "<x-custom data-a=\"1\">",
        "\u{FEFF}",
        "\0",
    ];
    let mut out = String::new();
    for _ in 0..pieces {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let k = usize::try_from(*seed >> 33).unwrap_or_default() % BITS.len();
        out.push_str(BITS.get(k).copied().unwrap_or_default());
    }
    out
}

#[test]
fn a_tag_with_many_attributes_keeps_the_first_of_each_name() {
    // Past the point where a set finds the duplicates, the first still wins.
    let mut tag = String::from("<div");
    for i in 0..300 {
        tag.push_str(&format!(" a{}={i}", i % 200));
    }
    tag.push_str(" A7=x>x</div>");
    assert!(same(&tag));
    // A hostile tag: read, not left to html5ever, in linear time.
    let mut huge = String::from("<p");
    for i in 0..50_000 {
        huge.push_str(&format!(" a{i}"));
    }
    huge.push_str(" a0=dup>t");
    let html = parse_document(&huge);
    let p = html
        .tree
        .nodes()
        .filter_map(|n| n.value().as_element())
        .find(|e| e.name() == "p")
        .expect("the p element");
    assert_eq!(p.attrs.len(), 50_000);
    assert_eq!(p.attr("a0"), Some(""));
}

#[test]
fn the_common_references_read_as_the_table_says() {
    for (name, c) in COMMON_REFS {
        let name = std::str::from_utf8(name).expect("ASCII");
        assert_eq!(data::NAMED_ENTITIES.get(name), Some(&(u32::from(*c), 0)));
        // And nothing longer starts with them.
        let (best, _) = longest_name(&format!("{name}x"), 0);
        assert_eq!(best.map(|b| b.0), Some(name.len()), "{name}");
    }
}

#[test]
fn generated_documents_make_html5evers_tree() {
    let mut seed = 11u64;
    let (mut read, mut all) = (0, 0);
    for n in 0..12_000 {
        let src = soup(&mut seed, 3 + n % 60);
        all += 1;
        if same(&src) {
            read += 1;
        }
    }
    // Most are read here: the comparison is not only of html5ever with itself.
    assert!(read * 2 > all, "{read} of {all} read by this tokenizer");
}

/// Every real and built page of the fixtures.
fn fixture_pages() -> Vec<std::path::PathBuf> {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        root.join("../../tests/fixtures/real-pages"),
        root.join("tests/fixtures/built-pages"),
    ] {
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).expect("fixture folder").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "html") {
                    files.push(path);
                }
            }
        }
    }
    assert!(files.len() >= 40, "{} pages", files.len());
    files
}

#[test]
fn real_pages_make_html5evers_tree() {
    let files = fixture_pages();
    let mut left = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).expect("page");
        let (text, _) = crate::decode(&bytes, None);
        match check(&text) {
            Ok(true) => {}
            Ok(false) => left.push(format!(
                "{} ({:?})",
                file.display(),
                read_tree(&text, Bodies::Drop).err()
            )),
            Err(diff) => panic!("{}: {diff}", file.display()),
        }
    }
    // Every page is read here, none left to html5ever.
    assert!(left.is_empty(), "left to html5ever: {left:#?}");
}

/// A page the tokenizer leaves to html5ever gives the same facts: every real and built
/// page, with a comment holding a NUL byte added at its end (which sends it to
/// html5ever; after 4 KB of spaces, so that the body sniffing still sees a web page),
/// reads as the page itself does.
#[test]
fn pages_left_to_html5ever_give_the_same_facts() {
    let url = url::Url::parse("http://127.0.0.1:8000/page").expect("URL");
    let extract = |body: &[u8]| {
        crate::extract(&crate::Page {
            url: &url,
            http_status: Some(200),
            content_type: Some("text/html"),
            body,
        })
    };
    for file in fixture_pages() {
        let page = std::fs::read(&file).expect("page");
        let mut left = page.clone();
        left.extend_from_slice(&[b' '; 4096]);
        left.extend_from_slice(b"<!--\0-->");
        let (text, _) = crate::decode(&left, None);
        assert!(
            read_tree(&text, Bodies::Drop).is_err(),
            "{}",
            file.display()
        );
        assert_eq!(extract(&left), extract(&page), "{}", file.display());
    }
}
