import Foundation

/// What a PDF needs of a TrueType font to embed it whole as a CIDFontType2 with glyph identifiers as codes
/// (ISO 32000-1 §9.7.4, §9.9): its metrics, each character's glyph (the `cmap` format 4 subtable) and each
/// glyph's advance (`hmtx`). The platform ships one: a Latin and Vietnamese subset of DejaVu Sans.
struct TrueTypeFont: Sendable {
    let bytes: [UInt8]
    let unitsPerEm: Int
    let ascent: Int
    let descent: Int
    let capHeight: Int
    /// xMin, yMin, xMax, yMax in font units.
    let boundingBox: [Int]
    private let glyphs: [UInt32: UInt16]
    private let advances: [Int]

    struct Malformed: Error {}

    /// The shipped font: DejaVu Sans, Latin and Vietnamese (see `DejaVu-LICENSE.txt`).
    static let stamp: TrueTypeFont? = try? TrueTypeFont(PackageResources.DejaVuSans_vi_ttf)

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        func u16(_ at: Int) throws -> Int {
            guard at >= 0, at + 2 <= bytes.count else { throw Malformed() }
            return Int(bytes[at]) << 8 | Int(bytes[at + 1])
        }
        func i16(_ at: Int) throws -> Int { Int(Int16(truncatingIfNeeded: try u16(at))) }
        func u32(_ at: Int) throws -> Int { try u16(at) << 16 | u16(at + 2) }
        var tables: [String: Int] = [:]
        for index in 0..<(try u16(4)) {
            let record = 12 + index * 16
            guard record + 16 <= bytes.count else { throw Malformed() }
            tables[String(decoding: bytes[record..<(record + 4)], as: UTF8.self)] = try u32(record + 8)
        }
        guard let head = tables["head"], let hhea = tables["hhea"], let hmtx = tables["hmtx"], let maxp = tables["maxp"],
              let cmap = tables["cmap"] else { throw Malformed() }
        unitsPerEm = try u16(head + 18)
        guard unitsPerEm > 0 else { throw Malformed() }
        boundingBox = try [i16(head + 36), i16(head + 38), i16(head + 40), i16(head + 42)]
        let ascent = try i16(hhea + 4)
        (self.ascent, descent) = (ascent, try i16(hhea + 6))
        if let os2 = tables["OS/2"], try u16(os2) >= 2 { capHeight = try i16(os2 + 88) } else { capHeight = ascent * 7 / 10 }

        let glyphCount = try u16(maxp + 4), metrics = try u16(hhea + 34)
        guard metrics > 0, metrics <= glyphCount else { throw Malformed() }
        var advances: [Int] = []
        for glyph in 0..<metrics { advances.append(try u16(hmtx + glyph * 4)) }
        advances += Array(repeating: advances[metrics - 1], count: glyphCount - metrics)
        self.advances = advances

        // The Unicode BMP subtable (platform 3 encoding 1, or platform 0), format 4.
        var subtable: Int?
        for index in 0..<(try u16(cmap + 2)) {
            let record = cmap + 4 + index * 8
            let (platform, encoding) = (try u16(record), try u16(record + 2))
            if (platform == 3 && encoding == 1) || platform == 0, try u16(cmap + u32(record + 4)) == 4 {
                subtable = cmap + (try u32(record + 4))
            }
        }
        guard let table = subtable else { throw Malformed() }
        let segments = try u16(table + 6) / 2
        let (ends, starts, deltas, rangeOffsets) = (table + 14, table + 16 + segments * 2, table + 16 + segments * 4, table + 16 + segments * 6)
        var glyphs: [UInt32: UInt16] = [:]
        for segment in 0..<segments {
            let (start, end) = (try u16(starts + segment * 2), try u16(ends + segment * 2))
            let delta = try u16(deltas + segment * 2), rangeOffset = try u16(rangeOffsets + segment * 2)
            guard start <= end, end != 0xFFFF else { continue }
            for code in start...end {
                var glyph: Int
                if rangeOffset == 0 {
                    glyph = (code + delta) & 0xFFFF
                } else {
                    glyph = try u16(rangeOffsets + segment * 2 + rangeOffset + (code - start) * 2)
                    if glyph != 0 { glyph = (glyph + delta) & 0xFFFF }
                }
                if glyph != 0, glyph < glyphCount { glyphs[UInt32(code)] = UInt16(glyph) }
            }
        }
        self.glyphs = glyphs
    }

    /// The glyph of a character, or of "?" when the font has none (never the invisible .notdef).
    func glyph(_ scalar: Unicode.Scalar) -> UInt16 { glyphs[scalar.value] ?? glyphs[0x3F] ?? 0 }

    /// A glyph's advance in thousandths of the text size, as PDF widths are given.
    func width(_ glyph: UInt16) -> Int { Int(glyph) < advances.count ? advances[Int(glyph)] * 1000 / unitsPerEm : 0 }

    /// `text` (normalised to NFC, as the font has the precomposed Vietnamese letters) as glyphs, each with the
    /// character it shows.
    func glyphs(for text: String) -> [(glyph: UInt16, scalar: Unicode.Scalar)] {
        text.precomposedStringWithCanonicalMapping.unicodeScalars.map { (glyph($0), $0) }
    }
}
