//! Rule S5: what an uploaded file is, by its bytes, never by its name.
//!
//! The first bytes name a type; the file's structure must then hold to its
//! last byte (PNG chunks from `IHDR` to `IEND`, JPEG segments to `EOI`, GIF
//! blocks to the trailer, RIFF chunks, ISO boxes and EBML elements tiling the
//! file, a PDF ending in `%%EOF`), and no HTML or script may appear anywhere
//! in it: a polyglot that a browser, an interpreter or a script tag could
//! take for something else is refused.
//!
//! Every size read from a file is a `u64` and every step over it is checked
//! (`Cursor::take`): on wasm32 `usize` has 32 bits and release builds have no
//! overflow checks, so `at + len` on a length read from the file once wrapped
//! and a loop stopped advancing.

/// Every type `sniff` recognises.
pub const CONTENT_TYPES: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "video/mp4",
    "video/quicktime",
    "video/webm",
];

/// The file's type when it is a well-formed file of a type `accepts`
/// takes; else the 422 problem that points at the file (`#/file`).
///
/// # Errors
/// The 422 problem document.
pub fn typed(
    bytes: &[u8],
    accepts: impl Fn(&str) -> bool,
) -> Result<&'static str, crate::kernel::problem::Problem> {
    sniff(bytes).filter(|t| accepts(t)).ok_or_else(|| {
        let mut p = crate::kernel::problem::Problem::field("file", "detail.file_type");
        p.detail = "detail.file_type";
        p
    })
}

/// The file's type, or `None` when it is not a well-formed file of a type
/// we take (see the module's documentation).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if holds_markup(bytes) {
        return None;
    }
    let starts = |m: &[u8]| bytes.starts_with(m);
    let (kind, well_formed) = if starts(b"%PDF-") {
        ("application/pdf", pdf_ends(bytes))
    } else if starts(&[0xFF, 0xD8]) {
        ("image/jpeg", jpeg_segments(Cursor::at(bytes, 2)))
    } else if starts(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        ("image/png", png_chunks(Cursor::at(bytes, 8)))
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        ("image/gif", gif_blocks(Cursor::at(bytes, 6)))
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        ("image/webp", riff_chunks(bytes))
    } else if bytes.get(4..8) == Some(b"ftyp") {
        let kind = if bytes.get(8..12) == Some(b"qt  ") {
            "video/quicktime"
        } else {
            "video/mp4"
        };
        (kind, iso_boxes(Cursor::at(bytes, 0)))
    } else if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        ("video/webm", ebml_elements(Cursor::at(bytes, 0)))
    } else {
        return None;
    };
    well_formed.then_some(kind)
}

/// A read position in a file. Every length taken from the file goes
/// through `take`, which refuses what would run past the end or overflow.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn at(bytes: &'a [u8], at: usize) -> Self {
        Cursor { bytes, at }
    }
    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }
    fn left(&self) -> u64 {
        (self.bytes.len() - self.at) as u64
    }
    fn take(&mut self, n: u64) -> Option<&'a [u8]> {
        let end = self.at.checked_add(usize::try_from(n).ok()?)?;
        let taken = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(taken)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }
    fn be16(&mut self) -> Option<u64> {
        self.take(2)
            .map(|b| u64::from(u16::from_be_bytes([b[0], b[1]])))
    }
    fn be32(&mut self) -> Option<u64> {
        self.take(4)
            .map(|b| u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])))
    }
    fn le32(&mut self) -> Option<u64> {
        self.take(4)
            .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
    }
    fn be64(&mut self) -> Option<u64> {
        let b = self.take(8)?;
        Some(u64::from_be_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
        ]))
    }
}

/// What a browser or an interpreter would take for a page or a script,
/// anywhere in the file. A tag counts only when a delimiter follows it, so
/// compressed image and video data does not match by chance.
fn holds_markup(bytes: &[u8]) -> bool {
    const TAGS: &[&[u8]] = &[
        b"html",
        b"!doctype",
        b"script",
        b"body",
        b"head",
        b"iframe",
        b"svg",
        b"?xml",
        b"?php",
        b"object",
        b"embed",
    ];
    let lower_starts = |at: usize, word: &[u8]| {
        bytes
            .get(at..at + word.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(word))
    };
    bytes.iter().enumerate().any(|(i, b)| match b {
        b'<' => TAGS.iter().any(|tag| {
            lower_starts(i + 1, tag)
                && matches!(
                    bytes.get(i + 1 + tag.len()),
                    Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>' | b'/')
                )
        }),
        b'j' | b'J' => lower_starts(i, b"javascript:"),
        _ => false,
    })
}

/// `%%EOF` in the last kilobyte, and nothing after it but line ends.
fn pdf_ends(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    let Some(at) = tail.windows(5).rposition(|w| w == b"%%EOF") else {
        return false;
    };
    tail[at + 5..].iter().all(u8::is_ascii_whitespace)
}

/// JPEG segments after `SOI`: markers with their lengths, entropy-coded
/// data after each `SOS`, and `EOI` as the last two bytes.
fn jpeg_segments(mut c: Cursor) -> bool {
    let mut scanned = false;
    loop {
        if c.u8() != Some(0xFF) {
            return false;
        }
        let mut marker = 0xFF;
        while marker == 0xFF {
            match c.u8() {
                Some(m) => marker = m,
                None => return false,
            }
        }
        match marker {
            0xD9 => return scanned && c.done(),
            0x01 | 0xD0..=0xD7 => continue,
            0x00 | 0xD8 => return false,
            _ => {}
        }
        let Some(len) = c.be16() else {
            return false;
        };
        if len < 2 || c.take(len - 2).is_none() {
            return false;
        }
        if marker == 0xDA {
            scanned = true;
            // Entropy-coded data: any byte but 0xFF, a stuffed 0xFF00 or a
            // restart marker; the next marker ends it.
            loop {
                match c.peek() {
                    None => return false,
                    Some(0xFF) => match c.bytes.get(c.at + 1) {
                        Some(0x00 | 0xD0..=0xD7) => c.at += 2,
                        Some(_) => break,
                        None => return false,
                    },
                    Some(_) => c.at += 1,
                }
            }
        }
    }
}

/// PNG chunks (length, type, data, CRC) from `IHDR` to `IEND`, ending
/// exactly at the end of the file.
fn png_chunks(mut c: Cursor) -> bool {
    let mut first = true;
    loop {
        let (Some(len), Some(kind)) = (c.be32(), c.take(4)) else {
            return false;
        };
        if first && kind != b"IHDR" || !kind.iter().all(u8::is_ascii_alphabetic) {
            return false;
        }
        first = false;
        if len > 0x7FFF_FFFF || c.take(len).is_none() || c.take(4).is_none() {
            return false;
        }
        if kind == b"IEND" {
            return c.done();
        }
    }
}

/// GIF: the logical screen, its colour table, then extensions and images
/// (at least one), and the trailer as the last byte.
fn gif_blocks(mut c: Cursor) -> bool {
    fn table(c: &mut Cursor, packed: u8) -> Option<()> {
        if packed & 0x80 != 0 {
            c.take(3 << ((packed & 7) + 1))?;
        }
        Some(())
    }
    fn sub_blocks(c: &mut Cursor) -> Option<()> {
        loop {
            match c.u8()? {
                0 => return Some(()),
                n => c.take(u64::from(n))?,
            };
        }
    }
    let mut images = 0;
    let ok = (|| {
        let screen = c.take(7)?;
        table(&mut c, screen[4])?;
        loop {
            match c.u8()? {
                0x21 => {
                    c.u8()?;
                    sub_blocks(&mut c)?;
                }
                0x2C => {
                    let descriptor = c.take(9)?;
                    table(&mut c, descriptor[8])?;
                    c.u8()?; // LZW minimum code size
                    sub_blocks(&mut c)?;
                    images += 1;
                }
                0x3B => return Some(()),
                _ => return None,
            }
        }
    })();
    ok.is_some() && images > 0 && c.done()
}

/// WebP: the RIFF size covers the file, and its chunks (padded to an even
/// length) tile it.
fn riff_chunks(bytes: &[u8]) -> bool {
    let mut c = Cursor::at(bytes, 4);
    if c.le32().and_then(|size| size.checked_add(8)) != Some(bytes.len() as u64) {
        return false;
    }
    c.at = 12;
    while !c.done() {
        let (Some(_), Some(len)) = (c.take(4), c.le32()) else {
            return false;
        };
        if c.take(len + (len & 1)).is_none() {
            return false;
        }
    }
    true
}

/// ISO base media boxes (size, type) tiling the whole file.
fn iso_boxes(mut c: Cursor) -> bool {
    while !c.done() {
        let (Some(size), Some(kind)) = (c.be32(), c.take(4)) else {
            return false;
        };
        if !kind.iter().all(|b| b.is_ascii_alphanumeric() || *b == b' ') {
            return false;
        }
        let body = match size {
            0 => Some(c.left()),
            1 => c.be64().and_then(|large| large.checked_sub(16)),
            n => n.checked_sub(8),
        };
        if body.and_then(|n| c.take(n)).is_none() {
            return false;
        }
    }
    true
}

/// WebM: top-level EBML elements tiling the file, the EBML header first
/// with document type `webm`, then a Segment (which alone may leave its
/// size unknown, running to the end of the file).
fn ebml_elements(mut c: Cursor) -> bool {
    /// A variable-length integer: its value and whether all its value bits
    /// are set (an unknown size).
    fn vint(c: &mut Cursor, keep_marker: bool) -> Option<(u64, bool)> {
        let first = c.u8()?;
        let len = first.leading_zeros() + 1;
        if len > 8 {
            return None;
        }
        let marker = 0x80u8 >> (len - 1);
        let mask = marker - 1;
        let mut value = u64::from(if keep_marker { first } else { first & mask });
        let mut all_ones = first & mask == mask;
        for _ in 1..len {
            let b = c.u8()?;
            all_ones &= b == 0xFF;
            value = (value << 8) | u64::from(b);
        }
        Some((value, all_ones))
    }
    const EBML: u64 = 0x1A45_DFA3;
    const SEGMENT: u64 = 0x1853_8067;
    const DOC_TYPE: u64 = 0x4282;
    let (mut header, mut segment) = (false, false);
    while !c.done() {
        let (Some((id, _)), Some((size, unknown))) = (vint(&mut c, true), vint(&mut c, false))
        else {
            return false;
        };
        let body = if unknown && id == SEGMENT {
            c.left()
        } else {
            size
        };
        let Some(data) = c.take(body) else {
            return false;
        };
        if !header {
            // The header's children: the document type must be `webm`.
            let mut h = Cursor::at(data, 0);
            while id == EBML && !h.done() {
                let (Some((id, _)), Some((size, _))) = (vint(&mut h, true), vint(&mut h, false))
                else {
                    return false;
                };
                match h.take(size) {
                    Some(value) => header |= id == DOC_TYPE && value == b"webm",
                    None => return false,
                }
            }
            if !header {
                return false;
            }
        } else {
            segment |= id == SEGMENT;
        }
    }
    segment
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A well-formed JPEG: SOI, APP0 (JFIF), a scan with stuffed and
    /// restart bytes, EOI.
    pub(crate) fn jpeg() -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        v.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        v.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0]);
        v.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        v.extend_from_slice(&[0xFF, 0xD9]);
        v
    }

    fn gif() -> Vec<u8> {
        let mut v = b"GIF89a\x01\0\x01\0\x80\0\0".to_vec();
        v.extend_from_slice(&[0, 0, 0, 0xFF, 0xFF, 0xFF]);
        v.extend_from_slice(b"\x21\xF9\x04\x01\0\0\0\0");
        v.extend_from_slice(b"\x2C\0\0\0\0\x01\0\x01\0\0\x02\x02\x44\x01\0");
        v.push(0x3B);
        v
    }

    fn png_with_chunk(len: u32) -> Vec<u8> {
        let mut v = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        v.extend_from_slice(&len.to_be_bytes());
        v.extend_from_slice(b"IHDR\0\0\0\0\0\0\0\0");
        v
    }

    fn webm() -> Vec<u8> {
        let mut v = vec![0x1A, 0x45, 0xDF, 0xA3, 0x87, 0x42, 0x82, 0x84];
        v.extend_from_slice(b"webm");
        v.extend_from_slice(&[0x18, 0x53, 0x80, 0x67, 0x82, 0xEC, 0x80]);
        v
    }

    #[test]
    fn s5_sniffs_content_types_by_magic_bytes() {
        assert_eq!(
            sniff(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"),
            Some("application/pdf")
        );
        assert_eq!(sniff(&jpeg()), Some("image/jpeg"));
        assert_eq!(sniff(&gif()), Some("image/gif"));
        assert_eq!(sniff(b"RIFF\x0c\0\0\0WEBPVP8 \0\0\0\0"), Some("image/webp"));
        assert_eq!(sniff(&webm()), Some("video/webm"));
        assert_eq!(sniff(b"\0\0\0\x10ftypmp42\0\0\0\0"), Some("video/mp4"));
        assert_eq!(
            sniff(b"\0\0\0\x10ftypqt  \0\0\0\0"),
            Some("video/quicktime")
        );
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        png.extend_from_slice(b"\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\0\0\0\0");
        png.extend_from_slice(b"\0\0\0\0IEND\xae\x42\x60\x82");
        assert_eq!(sniff(&png), Some("image/png"));
        assert_eq!(sniff(b"hello.pdf"), None);
        for t in CONTENT_TYPES {
            assert!(t.contains('/'));
        }
    }

    #[test]
    fn s5_polyglots_and_broken_files_are_refused() {
        // A PDF that is also a web page (the audit's polyglot).
        assert_eq!(
            sniff(b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"),
            None
        );
        // `ftyp` and then HTML: the boxes do not tile the file.
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42<!DOCTYPE html><p>hi"), None);
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42\0\0\0\0isom<p>hi</p>"), None);
        // Truncated or unterminated files.
        assert_eq!(sniff(b"%PDF-1.7\n1 0 obj"), None);
        assert_eq!(sniff(b"%PDF-1.7\n%%EOF\nMZ\x90"), None, "bytes after %%EOF");
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), None);
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        png.extend_from_slice(b"\0\0\0\x0dIHDR");
        assert_eq!(sniff(&png), None, "no IEND");
        assert_eq!(sniff(b"RIFF\xff\0\0\0WEBPVP8 "), None, "size mismatch");
        let mut webp = b"RIFF\x0c\0\0\0WEBPVP8 \0\0\0\0".to_vec();
        webp[16] = 9;
        assert_eq!(sniff(&webp), None, "a chunk past the RIFF size");
        let mut gif_no_image = b"GIF89a\x01\0\x01\0\0\0\0".to_vec();
        gif_no_image.push(0x3B);
        assert_eq!(sniff(&gif_no_image), None, "a GIF without an image");
        let mut short = webm();
        short.truncate(short.len() - 1);
        assert_eq!(sniff(&short), None, "a Segment cut short");
    }

    #[test]
    fn s5_polyglots_past_the_first_kilobyte_are_refused() {
        // A JPEG with PHP, or HTML, after its first KiB (in a comment
        // segment, so the structure alone holds).
        for payload in [&b"<?php system($_GET['c']); ?>"[..], b"<html><body>hi"] {
            let mut v = jpeg();
            let mut comment = vec![0x20; 2048];
            comment.extend_from_slice(payload);
            let len = (comment.len() + 2) as u16;
            let eoi = v.split_off(v.len() - 2);
            v.extend_from_slice(&[0xFF, 0xFE]);
            v.extend_from_slice(&len.to_be_bytes());
            v.extend_from_slice(&comment);
            v.extend_from_slice(&eoi);
            assert_eq!(sniff(&v), None);
            // … and appended after EOI.
            let mut after = jpeg();
            after.extend_from_slice(&vec![0; 2048]);
            after.extend_from_slice(payload);
            assert_eq!(sniff(&after), None);
        }
        let mut after_eoi = jpeg();
        after_eoi.extend_from_slice(b"trailing bytes");
        assert_eq!(sniff(&after_eoi), None, "bytes after EOI");
        // The GIF/JavaScript polyglot: `GIF89a/*…*/=alert(1);` is a script
        // that ends in the trailer byte `;`, but its blocks do not hold.
        let mut gif_js = b"GIF89a/*\x01\0\0\0\0".to_vec();
        gif_js.extend_from_slice(b"\x2C\0\0\0\0\x01\0\x01\0\0\x02\x02\x44\x01\0");
        gif_js.extend_from_slice(b"*/=alert(document.domain);");
        assert_eq!(sniff(&gif_js), None);
        let mut gif_after = gif();
        gif_after.extend_from_slice(b"*/=alert(1);");
        assert_eq!(sniff(&gif_after), None, "bytes after the trailer");
        // A WebM with HTML after its Segment, or inside it.
        let mut webm_html = webm();
        webm_html.extend_from_slice(b"<html><script>alert(1)</script>");
        assert_eq!(sniff(&webm_html), None);
        let mut inside = webm();
        inside.truncate(12);
        let html = b"<script>alert(1)</script>";
        inside.extend_from_slice(&[0x18, 0x53, 0x80, 0x67, 0x80 | html.len() as u8]);
        inside.extend_from_slice(html);
        assert_eq!(sniff(&inside), None);
        // Markup needs a delimiter after the tag name: `<svgx` inside
        // compressed data is not a tag.
        let mut webp = b"RIFF\x12\0\0\0WEBPVP8 \x06\0\0\0<svgx\0".to_vec();
        assert_eq!(sniff(&webp), Some("image/webp"));
        webp[24] = b' ';
        assert_eq!(sniff(&webp), None);
    }

    /// Lengths near 2^32 and past it: the checks hold on 32-bit targets
    /// (wasm32), where they once wrapped (`12 + len` to 0, a loop that
    /// never advanced) or truncated (a 2^32 + 16 byte box read as 16).
    #[test]
    fn s5_sizes_read_from_a_file_never_wrap() {
        // The audit's 24-byte PNG: chunk length 0xFFFFFFF4.
        assert_eq!(sniff(&png_with_chunk(0xFFFF_FFF4)), None);
        for len in [0xFFFF_FFFF, 0x8000_0000, 0x7FFF_FFFF, 0xFFFF_FFF8] {
            assert_eq!(sniff(&png_with_chunk(len)), None, "{len:#x}");
        }
        // A 32-byte file claiming a box of 2^32 + 16 bytes.
        let mut mp4 = b"\0\0\0\x10ftypmp42\0\0\0\0".to_vec();
        mp4.extend_from_slice(b"\0\0\0\x01mdat");
        mp4.extend_from_slice(&((1u64 << 32) + 16).to_be_bytes());
        assert_eq!(mp4.len(), 32);
        assert_eq!(sniff(&mp4), None);
        let mut huge = mp4.clone();
        huge[24..32].copy_from_slice(&u64::MAX.to_be_bytes());
        assert_eq!(sniff(&huge), None);
        let mut small = mp4;
        small[24..32].copy_from_slice(&15u64.to_be_bytes());
        assert_eq!(sniff(&small), None, "a large size under its own header");
        // RIFF size 0xFFFFFFF8: size + 8 wrapped to 0 in 32 bits.
        assert_eq!(sniff(b"RIFF\xf8\xff\xff\xffWEBPVP8 \0\0\0\0"), None);
        assert_eq!(
            sniff(b"RIFF\x0c\0\0\0WEBPVP8 \xff\xff\xff\xff"),
            None,
            "a chunk of 2^32 - 1 bytes"
        );
        // An EBML element of 2^56 - 2 bytes, and one of 2^32 + 1.
        let mut webm_big = webm();
        webm_big.truncate(12);
        webm_big.extend_from_slice(&[
            0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
        ]);
        assert_eq!(sniff(&webm_big), None);
        let mut webm_wrap = webm();
        webm_wrap.truncate(12);
        webm_wrap.extend_from_slice(&[0x18, 0x53, 0x80, 0x67, 0x09, 0, 0, 0, 1, 0xEC, 0x80]);
        assert_eq!(sniff(&webm_wrap), None);
        // JPEG and GIF lengths are 16 and 8 bits: a length past the end.
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF, 0xFF, 0xD9]),
            None
        );
    }
}
