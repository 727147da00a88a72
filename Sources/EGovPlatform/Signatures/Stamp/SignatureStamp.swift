import EGovCore
import Foundation

/// A visible signature (issue 13 §2), as Vietnamese documents show one: a framed box on the last page with
/// an issued document's number and notation, who signed, for which unit, when and, on an issued result, its
/// verification code, beside the QR code of the
/// public check page's address. The text is set in the shipped DejaVu Sans, embedded so that every reader shows
/// the Vietnamese letters and can copy them (a ToUnicode map); the QR code is drawn as squares.
struct SignatureStamp: Sendable {
    let lines: [String]
    /// What the QR code holds (the check page's address), or nil for none.
    let qrText: String?

    /// The box, in points.
    static let width = 236.0, height = 62.0
    static let fontSize = 7.5, leading = 9.5

    /// The stamp of a signature by the certificate's holder (common name, and organisation when it is another
    /// name: a seal's certificate names the unit twice) at `time`, with an issued result's verification.
    /// An issued document's seal shows its number and notation first (`notation`).
    init(signer: String, unit: String?, at time: Date, verification: (code: String, address: String)?, notation: String? = nil) {
        var lines = notation.map { ["Số, ký hiệu: \($0)"] } ?? []
        lines.append("Ký bởi: \(signer)")
        if let unit, unit != signer { lines.append("Cơ quan: \(unit)") }
        lines.append("Thời gian ký: \(Self.time(time)) (GMT+7)")
        if let verification { lines.append("Mã kiểm tra: \(verification.code)") }
        self.lines = lines
        qrText = verification?.address
    }

    struct Unavailable: Error {}

    /// The shipped font and its file deflated, once.
    private static let font: (font: TrueTypeFont, file: [UInt8])? = TrueTypeFont.stamp.flatMap { font in
        (try? PDFStream.deflate(ArraySlice(font.bytes))).map { (font, $0) }
    }

    /// The stamp's objects numbered from `first`: the appearance (a form XObject, number `first`), the Type 0
    /// font, its CIDFont, font descriptor, font file and ToUnicode map.
    func objects(first: Int) throws -> [(number: Int, value: [UInt8])] {
        guard let (font, compressedFont) = Self.font else { throw Unavailable() }
        let (type0, cidFont, descriptor, file, toUnicode) = (first + 1, first + 2, first + 3, first + 4, first + 5)
        // An address too long for a QR code (over 213 bytes) leaves the stamp without one; the code is still printed.
        let qr = qrText.flatMap { try? QRCode($0) }
        let qrSide = qr == nil ? 0 : Self.height - 6
        let textWidth = Self.width - qrSide - 10

        var used: [UInt16: Unicode.Scalar] = [:]
        var content = "q\n0.70 0.09 0.09 RG 1 w 0.5 0.5 \(Self.number(Self.width - 1)) \(Self.number(Self.height - 1)) re S\n"
        if let qr {
            // Two light modules of quiet zone inside the frame; each dark module a square.
            let module = qrSide / Double(qr.size + 4)
            let (left, bottom) = (Self.width - qrSide - 3, 3.0)
            content += "0 0 0 rg\n"
            for y in 0..<qr.size {
                for x in 0..<qr.size where qr.isDark(x: x, y: y) {
                    let px = left + Double(x + 2) * module, py = bottom + qrSide - Double(y + 3) * module
                    content += "\(Self.number(px)) \(Self.number(py)) \(Self.number(module)) \(Self.number(module)) re\n"
                }
            }
            content += "f\n"
        }
        content += "BT\n0.05 0.15 0.45 rg /F1 \(Self.number(Self.fontSize)) Tf \(Self.number(Self.leading)) TL\n"
        content += "5 \(Self.number(Self.height - 5 - Self.fontSize)) Td\n"
        for (index, line) in lines.enumerated() {
            let glyphs = Self.fitted(font.glyphs(for: line), in: textWidth, font: font)
            for item in glyphs where used[item.glyph] == nil { used[item.glyph] = item.scalar }
            content += (index == 0 ? "" : "T* ") + "<" + glyphs.map { String(format: "%04X", $0.glyph) }.joined() + "> Tj\n"
        }
        content += "ET\nQ\n"

        let name = PDFValue.name("EGOVVN+DejaVuSans")
        let glyphs = used.keys.sorted()
        let widths = glyphs.flatMap { [PDFValue.number(String($0)), .array([.number(String(font.width($0)))])] }
        let scale = { (value: Int) in PDFValue.number(String(value * 1000 / font.unitsPerEm)) }
        return [
            (first, PDFDictionary([
                ("Type", .name("XObject")), ("Subtype", .name("Form")),
                ("BBox", .array([.number("0"), .number("0"), .number(Self.number(Self.width)), .number(Self.number(Self.height))])),
                ("Resources", .dictionary(PDFDictionary([("Font", .dictionary(PDFDictionary([("F1", .reference(type0, 0))])))]))),
            ]).stream(with: Array(content.utf8))),
            (type0, PDFValue.dictionary(PDFDictionary([
                ("Type", .name("Font")), ("Subtype", .name("Type0")), ("BaseFont", name), ("Encoding", .name("Identity-H")),
                ("DescendantFonts", .array([.reference(cidFont, 0)])), ("ToUnicode", .reference(toUnicode, 0)),
            ])).bytes),
            (cidFont, PDFValue.dictionary(PDFDictionary([
                ("Type", .name("Font")), ("Subtype", .name("CIDFontType2")), ("BaseFont", name),
                ("CIDSystemInfo", .dictionary(PDFDictionary([("Registry", .string(Array("Adobe".utf8))), ("Ordering", .string(Array("Identity".utf8))),
                                                             ("Supplement", .number("0"))]))),
                ("FontDescriptor", .reference(descriptor, 0)), ("CIDToGIDMap", .name("Identity")), ("W", .array(widths)),
            ])).bytes),
            (descriptor, PDFValue.dictionary(PDFDictionary([
                ("Type", .name("FontDescriptor")), ("FontName", name), ("Flags", .number("32")),
                ("FontBBox", .array(font.boundingBox.map(scale))), ("ItalicAngle", .number("0")), ("Ascent", scale(font.ascent)),
                ("Descent", scale(font.descent)), ("CapHeight", scale(font.capHeight)), ("StemV", .number("80")),
                ("FontFile2", .reference(file, 0)),
            ])).bytes),
            (file, PDFDictionary([("Length1", .number(String(font.bytes.count))), ("Filter", .name("FlateDecode"))]).stream(with: compressedFont)),
            (toUnicode, PDFDictionary().stream(with: Array(Self.toUnicode(glyphs.compactMap { glyph in used[glyph].map { (glyph, $0) } }).utf8))),
        ]
    }

    /// Where the stamp goes on a page of `box` (x0, y0, x1, y1): the bottom right, the `slot`th signature to the
    /// left of the ones before it, then in rows above.
    static func rectangle(slot: Int, in box: [Double]) -> [Double] {
        let (x0, y0, x1, y1) = (box[0], box[1], box[2], box[3])
        let perRow = max(1, Int((x1 - x0 - 60 + 6) / (width + 6)))
        let rows = max(1, Int((y1 - y0 - 60 + 6) / (height + 6)))
        let (column, row) = (slot % perRow, (slot / perRow) % rows)
        let right = x1 - 30 - Double(column) * (width + 6), bottom = y0 + 30 + Double(row) * (height + 6)
        return [right - width, bottom, right, bottom + height]
    }

    /// The line's glyphs, cut with an ellipsis where they would run past `width`.
    private static func fitted(_ glyphs: [(glyph: UInt16, scalar: Unicode.Scalar)], in width: Double, font: TrueTypeFont)
        -> [(glyph: UInt16, scalar: Unicode.Scalar)] {
        let measure = { (items: ArraySlice<(glyph: UInt16, scalar: Unicode.Scalar)>) in
            Double(items.reduce(0) { $0 + font.width($1.glyph) }) * fontSize / 1000
        }
        guard measure(glyphs[...]) > width else { return glyphs }
        let ellipsis: Unicode.Scalar = "…"
        let mark = (glyph: font.glyph(ellipsis), scalar: ellipsis)
        var kept = glyphs[...]
        while !kept.isEmpty, measure(kept) + Double(font.width(mark.glyph)) * fontSize / 1000 > width { kept = kept.dropLast() }
        return Array(kept) + [mark]
    }

    /// A CMap from glyph identifiers to the characters they show (ISO 32000-1 §9.10.3), so text can be copied.
    private static func toUnicode(_ pairs: [(UInt16, Unicode.Scalar)]) -> String {
        var out = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        for start in stride(from: 0, to: pairs.count, by: 100) {
            let chunk = pairs[start..<min(pairs.count, start + 100)]
            out += "\(chunk.count) beginbfchar\n"
            for (glyph, scalar) in chunk {
                let utf16 = String(scalar).utf16.map { String(format: "%04X", $0) }.joined()
                out += String(format: "<%04X>", glyph) + " <\(utf16)>\n"
            }
            out += "endbfchar\n"
        }
        return out + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    }

    /// `dd/MM/yyyy HH:mm:ss` in Vietnam time.
    static func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600) ?? .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%02d/%02d/%04d %02d:%02d:%02d", c.day ?? 0, c.month ?? 0, c.year ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// A coordinate with at most two decimals, as PDF content writes numbers.
    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.2f", rounded)
    }
}
