//! Bytes to text: byte order marks, binary detection, UTF-8, declared HTML charsets and
//! legacy Arabic encodings (detected with chardetng). Decoding never replaces a byte: a
//! file that is not valid in the chosen encoding is an error naming the offset.

use encoding_rs::{DecoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8};
use serde::Serialize;

use super::ErrorKind;

/// Why an encoding was chosen; shown by `qari outline`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EncodingOrigin {
    /// A byte order mark at the start of the file (the BOM is not part of the text).
    Bom,
    /// The bytes are valid UTF-8.
    Utf8,
    /// An HTML `<meta charset>` declaration.
    Declared,
    /// Guessed from the byte statistics (chardetng).
    Detected,
    /// Forced with `--encoding` / [`super::LoadOptions::encoding`].
    Forced,
}

impl EncodingOrigin {
    pub fn describe(self) -> &'static str {
        match self {
            EncodingOrigin::Bom => "byte order mark",
            EncodingOrigin::Utf8 => "valid UTF-8",
            EncodingOrigin::Declared => "declared in the HTML",
            EncodingOrigin::Detected => "detected",
            EncodingOrigin::Forced => "--encoding",
        }
    }
}

/// The line ends found in the text (they are kept as they are).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineEnds {
    None,
    Lf,
    CrLf,
    Cr,
    Mixed,
}

impl LineEnds {
    pub fn detect(text: &str) -> LineEnds {
        let b = text.as_bytes();
        let (mut lf, mut crlf, mut cr) = (0usize, 0usize, 0usize);
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\r' if b.get(i + 1) == Some(&b'\n') => {
                    crlf += 1;
                    i += 1;
                }
                b'\r' => cr += 1,
                b'\n' => lf += 1,
                _ => {}
            }
            i += 1;
        }
        match ((lf > 0) as u8 + (crlf > 0) as u8 + (cr > 0) as u8, lf, crlf) {
            (0, ..) => LineEnds::None,
            (1, l, _) if l > 0 => LineEnds::Lf,
            (1, _, c) if c > 0 => LineEnds::CrLf,
            (1, ..) => LineEnds::Cr,
            _ => LineEnds::Mixed,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            LineEnds::None => "none",
            LineEnds::Lf => "LF",
            LineEnds::CrLf => "CRLF",
            LineEnds::Cr => "CR",
            LineEnds::Mixed => "mixed",
        }
    }
}

pub(crate) struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub origin: EncodingOrigin,
    /// Invalid sequences in a text whose encoding is certain (a BOM, or forced) were
    /// replaced with U+FFFD: what and where, for a warning.
    pub replaced: Option<String>,
}

/// An error kind and a reason (the caller adds the path).
pub(crate) struct DecodeError(pub ErrorKind, pub String);

pub(crate) fn decode(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    html: bool,
) -> Result<Decoded, DecodeError> {
    let bom = Encoding::for_bom(bytes);
    if let Some(enc) = forced {
        // A BOM that agrees with the forced encoding is skipped; anything else is decoded
        // as the user asked.
        let body = match bom {
            Some((b, len)) if b == enc => &bytes[len..],
            _ => bytes,
        };
        if !is_utf16(enc) {
            check_binary(body)?;
        }
        let (text, replaced) = lossy(enc, body)?;
        return Ok(Decoded {
            text,
            encoding: enc,
            origin: EncodingOrigin::Forced,
            replaced,
        });
    }
    if let Some((enc, len)) = bom {
        let (text, replaced) = lossy(enc, &bytes[len..])?;
        return Ok(Decoded {
            text,
            encoding: enc,
            origin: EncodingOrigin::Bom,
            replaced,
        });
    }
    check_binary(bytes)?;
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: s.to_owned(),
            encoding: UTF_8,
            origin: EncodingOrigin::Utf8,
            replaced: None,
        });
    }
    if html {
        if let Some(enc) = declared_charset(bytes) {
            // A page that declares UTF-8 but is not valid UTF-8 falls through to detection.
            if enc != UTF_8 && !is_utf16(enc) {
                if let Ok(text) = strict(enc, bytes) {
                    return Ok(Decoded {
                        text,
                        encoding: enc,
                        origin: EncodingOrigin::Declared,
                        replaced: None,
                    });
                }
            }
        }
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Deny);
    match strict(enc, bytes) {
        Ok(text) => Ok(Decoded {
            text,
            encoding: enc,
            origin: EncodingOrigin::Detected,
            replaced: None,
        }),
        Err(DecodeError(kind, why)) => Err(DecodeError(
            kind,
            format!(
                "not valid UTF-8 ({}), and {why} (use --encoding to choose one)",
                utf8_error(bytes)
            ),
        )),
    }
}

/// Like [`decode`] for a byte vector: valid UTF-8 without a BOM is moved, not copied.
pub(crate) fn decode_owned(
    bytes: Vec<u8>,
    forced: Option<&'static Encoding>,
    html: bool,
) -> Result<Decoded, DecodeError> {
    if forced.is_none() && Encoding::for_bom(&bytes).is_none() {
        check_binary(&bytes)?;
        return match String::from_utf8(bytes) {
            Ok(text) => Ok(Decoded {
                text,
                encoding: UTF_8,
                origin: EncodingOrigin::Utf8,
                replaced: None,
            }),
            Err(e) => decode(e.as_bytes(), None, html),
        };
    }
    decode(&bytes, forced, html)
}

fn is_utf16(enc: &'static Encoding) -> bool {
    enc == UTF_16LE || enc == UTF_16BE
}

fn utf8_error(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(_) => "valid".into(),
        Err(e) => format!("invalid byte at offset {}", e.valid_up_to()),
    }
}

/// NUL bytes, or many C0 controls, mean this is not text (UTF-16 needs a BOM here).
fn check_binary(bytes: &[u8]) -> Result<(), DecodeError> {
    if let Some(pos) = bytes
        .contains(&0)
        .then(|| bytes.iter().position(|&b| b == 0))
        .flatten()
    {
        return Err(DecodeError(
            ErrorKind::Binary,
            format!(
                "binary file: NUL byte at offset {pos} (if it is UTF-16 without a byte order mark, use --encoding utf-16le or utf-16be)"
            ),
        ));
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let controls = head
        .iter()
        .filter(|&&b| matches!(b, 0x01..=0x08 | 0x0E..=0x1A | 0x1C..=0x1F | 0x7F))
        .count();
    // A few stray controls in a short scraped page are text to show (visibly), not binary.
    if controls >= 8 && controls * 100 > head.len() {
        return Err(DecodeError(
            ErrorKind::Binary,
            format!(
                "binary file: {controls} control bytes in the first {} bytes",
                head.len()
            ),
        ));
    }
    Ok(())
}

/// Decode an encoding known for certain (a BOM, or forced): an invalid sequence (a lone
/// UTF-16 surrogate, a stray byte) becomes U+FFFD rather than losing the whole file, and
/// the first one is named for a warning.
fn lossy(enc: &'static Encoding, bytes: &[u8]) -> Result<(String, Option<String>), DecodeError> {
    match strict(enc, bytes) {
        Ok(text) => Ok((text, None)),
        Err(DecodeError(kind, why)) => {
            let (text, _) = enc.decode_without_bom_handling(bytes);
            // A stray sequence in a real text is a defect to show; a text that is mostly
            // invalid is in another encoding, and guessing on would show only garbage.
            let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
            let chars = text.chars().count();
            if bad * 200 > chars {
                return Err(DecodeError(kind, why));
            }
            Ok((
                text.into_owned(),
                Some(format!(
                    "{why}; {bad} invalid sequence{} shown as \u{FFFD}",
                    if bad == 1 { "" } else { "s" }
                )),
            ))
        }
    }
}

/// Decode without replacement; an invalid sequence is an error naming its offset.
fn strict(enc: &'static Encoding, bytes: &[u8]) -> Result<String, DecodeError> {
    if enc == UTF_8 {
        return std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| {
            DecodeError(
                ErrorKind::Undecodable,
                format!(
                    "not valid UTF-8: invalid byte at offset {}",
                    e.valid_up_to()
                ),
            )
        });
    }
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len());
    let mut out = String::with_capacity(cap);
    let mut read_total = 0;
    loop {
        let (res, read) =
            decoder.decode_to_string_without_replacement(&bytes[read_total..], &mut out, true);
        read_total += read;
        match res {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => out.reserve(bytes.len() - read_total + 16),
            DecoderResult::Malformed(bad, unread) => {
                let offset = read_total.saturating_sub(bad as usize + unread as usize);
                return Err(DecodeError(
                    ErrorKind::Undecodable,
                    format!(
                        "not valid {}: invalid byte sequence at offset {offset}",
                        enc.name()
                    ),
                ));
            }
        }
    }
}

/// `<!doctype html`, `<html`, `<head`, `<body` or `<meta` near the start.
pub(crate) fn sniff_html_bytes(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let head = &bytes[start..bytes.len().min(start + 64)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    [
        &b"<!doctype html"[..],
        b"<html",
        b"<head",
        b"<body",
        b"<meta",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

pub(crate) fn sniff_html_str(head: &str) -> bool {
    sniff_html_bytes(head.as_bytes())
}

/// The charset declared in the first 1024 bytes of an HTML page (`<meta charset=…>` or
/// `content="text/html; charset=…"`).
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        while i < lower.len() && matches!(lower[i], b' ' | b'=' | b'"' | b'\'') {
            i += 1;
        }
        let end = lower[i..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
            .map_or(lower.len(), |p| i + p);
        if end > i {
            if let Some(enc) = Encoding::for_label(&lower[i..end]) {
                return Some(enc);
            }
        }
        from = end.max(from + pos + 1);
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends() {
        assert_eq!(LineEnds::detect("a"), LineEnds::None);
        assert_eq!(LineEnds::detect("a\nb\n"), LineEnds::Lf);
        assert_eq!(LineEnds::detect("a\r\nb\r\n"), LineEnds::CrLf);
        assert_eq!(LineEnds::detect("a\rb\r"), LineEnds::Cr);
        assert_eq!(LineEnds::detect("a\rb\n"), LineEnds::Mixed);
    }

    #[test]
    fn windows_1256_is_detected() {
        let text = "أعلن الرئيس الروسي فلاديمير بوتين الأربعاء الاتفاق مع نظيره الأميركي جو بايدن على عودة سفيريهما";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(text);
        let d = decode(&bytes, None, false).ok().unwrap();
        assert_eq!(d.encoding, encoding_rs::WINDOWS_1256);
        assert_eq!(d.origin, EncodingOrigin::Detected);
        assert_eq!(d.text, text);
    }

    #[test]
    fn declared_charset_is_read() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\">";
        assert_eq!(declared_charset(page), Some(encoding_rs::WINDOWS_1256));
        assert_eq!(declared_charset(b"<meta charset='utf-8'>"), Some(UTF_8));
        assert_eq!(declared_charset(b"<p>no charset</p>"), None);
    }

    #[test]
    fn malformed_utf16_names_offset() {
        // BOM, then an unpaired high surrogate.
        let bytes = [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x41, 0x00];
        // Mostly invalid (one of three units): refused, naming the offset.
        let err = decode(&bytes, None, false).err().unwrap();
        assert_eq!(err.0, ErrorKind::Undecodable);
        assert!(err.1.contains("UTF-16LE"), "{}", err.1);
        // One stray surrogate in a real text: the file loads, the surrogate shows as
        // U+FFFD, and a warning names the offset.
        let mut long = vec![0xFF, 0xFE];
        let words = "قمة جنيف بين الرئيسين ".repeat(20);
        for u in words
            .encode_utf16()
            .chain([0xD800])
            .chain(words.encode_utf16())
        {
            long.extend(u.to_le_bytes());
        }
        let d = decode(&long, None, false).ok().unwrap();
        assert_eq!(d.text, format!("{words}\u{FFFD}{words}"));
        let w = d.replaced.unwrap();
        assert!(
            w.contains("UTF-16LE") && w.contains("offset") && w.contains("1 invalid"),
            "{w}"
        );
    }
}
