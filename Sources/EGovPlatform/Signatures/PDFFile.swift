import EGovCore
import Foundation

/// A PDF file as signing reads it: its objects by number and its last trailer. The objects come from the
/// classic cross-reference tables (the newest section first, following `/Prev`); a file with
/// cross-reference streams, or a damaged table, is indexed by a scan for `n g obj` headers instead (the last
/// definition wins, as incremental updates mean). Objects inside compressed object streams are not read; a
/// file whose catalog or pages live there is refused with a clear reason.
struct PDFFile {
    let bytes: [UInt8]
    /// Object number → (generation, offset of its `n g obj` header).
    private(set) var objects: [Int: (generation: Int, offset: Int)] = [:]
    let trailer: PDFDictionary
    /// Where the last cross-reference section starts (the new section's `/Prev`).
    let lastXref: Int

    static let unsupported = LocalizedText(
        vi: "Tệp PDF này dùng cấu trúc nén (object streams) hoặc bị hỏng; hệ thống chưa ký được tệp này.",
        en: "This PDF uses compressed object streams or is damaged; it cannot be signed here yet.")

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        guard bytes.starts(with: Array("%PDF-".utf8)) else { throw PDFParser.Malformed(description: "not a PDF") }
        guard let startxref = Self.lastIndex(of: Array("startxref".utf8), in: bytes) else {
            throw PDFParser.Malformed(description: "no startxref")
        }
        var parser = PDFParser(bytes, at: startxref + 9)
        guard let offset = Int(parser.token()), offset > 0, offset < bytes.count else { throw PDFParser.Malformed(description: "bad startxref") }
        lastXref = offset
        if bytes[offset...].starts(with: Array("xref".utf8)) {
            guard let at = Self.firstIndex(of: Array("trailer".utf8), in: bytes, from: offset) else {
                throw PDFParser.Malformed(description: "no trailer")
            }
            var reader = PDFParser(bytes, at: at + 7)
            guard let dictionary = try reader.value().dictionary else { throw PDFParser.Malformed(description: "bad trailer") }
            trailer = dictionary
        } else {
            // A cross-reference stream: its dictionary is the trailer.
            var reader = PDFParser(bytes, at: offset)
            _ = reader.token(); _ = reader.token()
            guard reader.token() == "obj", let dictionary = try reader.value().dictionary else {
                throw PDFParser.Malformed(description: "bad cross-reference stream")
            }
            trailer = dictionary
        }
        guard trailer["Encrypt"] == nil else { throw PDFParser.Malformed(description: "encrypted PDF") }
        objects = (try? Self.tables(bytes, from: offset)) ?? Self.index(bytes)
    }

    /// The classic cross-reference tables from `offset` back through `/Prev`: the newest entry of each object.
    /// Throws when a section is not a classic table, so the caller scans instead.
    private static func tables(_ bytes: [UInt8], from offset: Int) throws -> [Int: (generation: Int, offset: Int)] {
        var found: [Int: (generation: Int, offset: Int)] = [:]
        var next: Int? = offset
        var visited = Set<Int>()
        let malformed = PDFParser.Malformed(description: "bad cross-reference table")
        while let at = next {
            guard at > 0, at < bytes.count, visited.insert(at).inserted, visited.count <= 1_000 else { throw malformed }
            var parser = PDFParser(bytes, at: at)
            guard parser.token() == "xref" else { throw malformed }
            while true {
                let word = parser.token()
                if word == "trailer" { break }
                guard let first = Int(word), let count = Int(parser.token()), first >= 0, count >= 0,
                      first <= maxObjects, count <= maxObjects - first, count <= (bytes.count - parser.position) / 18 else { throw malformed }
                for number in first..<(first + count) {
                    guard let position = Int(parser.token()), let generation = Int(parser.token()) else { throw malformed }
                    let kind = parser.token()
                    guard kind == "n" || kind == "f" else { throw malformed }
                    guard kind == "n", found[number] == nil else { continue }
                    guard position > 0, position < bytes.count, (0...65_535).contains(generation) else { throw malformed }
                    found[number] = (generation, position)
                }
            }
            guard let trailer = try parser.value().dictionary else { throw malformed }
            next = trailer["Prev"]?.integer
        }
        // Each entry must point at its own header, or the table is not to be believed.
        for (number, entry) in found {
            var parser = PDFParser(bytes, at: entry.offset)
            guard parser.token() == String(number), parser.token() == String(entry.generation), parser.token() == "obj" else { throw malformed }
        }
        return found
    }

    /// The object `number`'s value (its dictionary, for a stream).
    func object(_ number: Int) throws -> PDFValue {
        guard let entry = objects[number] else { throw PDFParser.Malformed(description: "object \(number) not found") }
        var parser = PDFParser(bytes, at: entry.offset)
        guard parser.token() == String(number), parser.token() == String(entry.generation), parser.token() == "obj" else {
            throw PDFParser.Malformed(description: "object \(number) not where the index says")
        }
        return try parser.value()
    }

    /// The value, following a reference.
    func resolve(_ value: PDFValue?) throws -> PDFValue? {
        guard let value else { return nil }
        if let reference = value.reference { return try object(reference.number) }
        return value
    }

    /// The next object number: the trailer's `/Size`, at most PDF's limit of 8,388,607 objects.
    var size: Int {
        get throws {
            let size = max(trailer["Size"]?.integer ?? 0, (objects.keys.max() ?? 0) + 1)
            guard size <= Self.maxObjects else { throw PDFParser.Malformed(description: "too many objects") }
            return size
        }
    }

    static let maxObjects = 8_388_607

    /// Every `n g obj` header in the file, by a scan (robust to a damaged cross-reference table).
    private static func index(_ bytes: [UInt8]) -> [Int: (generation: Int, offset: Int)] {
        var found: [Int: (generation: Int, offset: Int)] = [:]
        let count = bytes.count
        var i = 0
        while i + 3 <= count {
            // "obj" preceded by whitespace, followed by a delimiter or whitespace.
            guard bytes[i] == 0x6F, bytes[i + 1] == 0x62, bytes[i + 2] == 0x6A,
                  i + 3 == count || PDFParser.isWhitespace(bytes[i + 3]) || PDFParser.isDelimiter(bytes[i + 3]) else {
                i += 1
                continue
            }
            var j = i - 1
            func digits() -> Int? {
                var value = 0, scale = 1, length = 0
                while j >= 0, (0x30...0x39).contains(bytes[j]), length < 10 {
                    value += Int(bytes[j] - 0x30) * scale
                    scale *= 10
                    length += 1
                    j -= 1
                }
                return length > 0 ? value : nil
            }
            func spaces() -> Bool {
                let start = j
                while j >= 0, PDFParser.isWhitespace(bytes[j]) { j -= 1 }
                return j < start
            }
            if spaces(), let generation = digits(), spaces(), let number = digits(), j < 0 || PDFParser.isWhitespace(bytes[j]) {
                found[number] = (generation, j + 1)
            }
            i += 3
        }
        return found
    }

    static func lastIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var i = bytes.count - needle.count
        while i >= 0 {
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }

    static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for i in start...(bytes.count - needle.count) where bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) {
            return i
        }
        return nil
    }
}
