import Foundation

/// A PDF file as signing reads it: its objects by number and its last trailer. The objects come from the
/// cross-reference sections, newest first, following `/Prev`: classic tables and cross-reference streams
/// (PDF 1.5), whose objects may sit compressed in object streams (ISO 32000-1 §7.5.7, §7.5.8). A damaged
/// cross-reference is replaced by a scan for `n g obj` headers (the last definition wins, as incremental
/// updates mean); objects in object streams cannot be found that way, and a file that needs them is refused.
struct PDFFile {
    /// Where an object is: at an offset of the file, or the `index`th object of object stream `stream`.
    enum Location {
        case direct(generation: Int, offset: Int)
        case compressed(stream: Int, index: Int)
    }

    let bytes: [UInt8]
    /// Object number → where it is.
    private(set) var objects: [Int: Location] = [:]
    let trailer: PDFDictionary
    /// Where the last cross-reference section starts (the new section's `/Prev`).
    let lastXref: Int
    /// The last section is a cross-reference stream, so an update writes one too.
    let usesXRefStreams: Bool
    /// Object streams already decoded, by object number.
    private let objectStreams = ObjectStreams()

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
            usesXRefStreams = false
        } else {
            // A cross-reference stream: its dictionary is the trailer.
            guard let (dictionary, _) = try? Self.stream(in: bytes, at: offset), dictionary["Type"]?.nameValue == "XRef" else {
                throw PDFParser.Malformed(description: "bad cross-reference stream")
            }
            trailer = dictionary
            usesXRefStreams = true
        }
        guard trailer["Encrypt"] == nil else { throw PDFParser.Malformed(description: "encrypted PDF") }
        objects = (try? Self.sections(bytes, from: offset)) ?? Self.index(bytes).mapValues { .direct(generation: $0.generation, offset: $0.offset) }
    }

    /// The cross-reference sections from `offset` back through `/Prev` (and a hybrid file's `/XRefStm`): the newest
    /// entry of each object. Throws when a section cannot be read or an entry does not hold, so the caller scans.
    private static func sections(_ bytes: [UInt8], from offset: Int) throws -> [Int: Location] {
        var found: [Int: Location] = [:]
        var next: Int? = offset
        var visited = Set<Int>()
        let malformed = PDFParser.Malformed(description: "bad cross-reference section")
        while let at = next {
            guard at > 0, at < bytes.count, visited.insert(at).inserted, visited.count <= 1_000 else { throw malformed }
            let trailer: PDFDictionary
            if bytes[at...].starts(with: Array("xref".utf8)) {
                trailer = try table(bytes, at: at, into: &found)
                // A hybrid file's table points at a stream with the entries PDF 1.4 readers are not to see.
                if let stream = trailer["XRefStm"]?.integer {
                    guard stream > 0, stream < bytes.count else { throw malformed }
                    _ = try xrefStream(bytes, at: stream, into: &found)
                }
            } else {
                trailer = try xrefStream(bytes, at: at, into: &found)
            }
            next = trailer["Prev"]?.integer
        }
        // Each direct entry must point at its own header, and each compressed one into a direct object stream.
        for (number, location) in found {
            switch location {
            case .direct(let generation, let position):
                var parser = PDFParser(bytes, at: position)
                guard parser.token() == String(number), parser.token() == String(generation), parser.token() == "obj" else { throw malformed }
            case .compressed(let stream, _):
                guard case .direct? = found[stream] else { throw malformed }
            }
        }
        return found
    }

    /// A classic table at `at`: its entries not yet in `found`, and its trailer.
    private static func table(_ bytes: [UInt8], at: Int, into found: inout [Int: Location]) throws -> PDFDictionary {
        let malformed = PDFParser.Malformed(description: "bad cross-reference table")
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
                found[number] = .direct(generation: generation, offset: position)
            }
        }
        guard let trailer = try parser.value().dictionary else { throw malformed }
        return trailer
    }

    /// A cross-reference stream at `at` (§7.5.8): its entries not yet in `found`, and its dictionary.
    private static func xrefStream(_ bytes: [UInt8], at: Int, into found: inout [Int: Location]) throws -> PDFDictionary {
        let malformed = PDFParser.Malformed(description: "bad cross-reference stream")
        let (dictionary, raw) = try stream(in: bytes, at: at)
        guard dictionary["Type"]?.nameValue == "XRef", let widths = dictionary["W"]?.array?.compactMap(\.integer), widths.count == 3,
              widths.allSatisfy({ (0...8).contains($0) }), let size = dictionary["Size"]?.integer, (0...maxObjects).contains(size) else { throw malformed }
        let data = try PDFStream.decode(raw, dictionary: dictionary)
        let row = widths.reduce(0, +)
        guard row > 0 else { throw malformed }
        let index = dictionary["Index"]?.array?.compactMap(\.integer) ?? [0, size]
        guard index.count % 2 == 0 else { throw malformed }
        func field(_ at: Int, _ width: Int) -> Int {
            var value = 0
            for i in 0..<width { value = value << 8 | Int(data[at + i]) }
            return value
        }
        var at = 0
        for pair in stride(from: 0, to: index.count, by: 2) {
            let (first, count) = (index[pair], index[pair + 1])
            guard first >= 0, count >= 0, first <= maxObjects, count <= maxObjects - first, count <= (data.count - at) / row else { throw malformed }
            for number in first..<(first + count) {
                // A zero-width type field means type 1 (§7.5.8.2, Table 17).
                let type = widths[0] == 0 ? 1 : field(at, widths[0])
                let second = field(at + widths[0], widths[1]), third = field(at + widths[0] + widths[1], widths[2])
                at += row
                guard found[number] == nil else { continue }
                switch type {
                case 1:
                    guard second > 0, second < bytes.count, (0...65_535).contains(third) else { throw malformed }
                    found[number] = .direct(generation: third, offset: second)
                case 2:
                    guard second > 0, second <= maxObjects, second != number, third <= maxObjects else { throw malformed }
                    found[number] = .compressed(stream: second, index: third)
                default: continue // free, or a type later versions define (to be treated as null)
                }
            }
        }
        return dictionary
    }

    /// The stream object at `at`: its dictionary and its data as written. Its `/Length` must be a direct number
    /// (as a cross-reference stream's is), or `length` resolves it.
    private static func stream(in bytes: [UInt8], at: Int, length resolve: ((Int) throws -> Int?)? = nil) throws
        -> (PDFDictionary, ArraySlice<UInt8>) {
        let malformed = PDFParser.Malformed(description: "bad stream object")
        var parser = PDFParser(bytes, at: at)
        guard Int(parser.token()) != nil, Int(parser.token()) != nil, parser.token() == "obj",
              let dictionary = try parser.value().dictionary, parser.token() == "stream" else { throw malformed }
        var start = parser.position
        if start < bytes.count, bytes[start] == 0x0D { start += 1 }
        if start < bytes.count, bytes[start] == 0x0A { start += 1 }
        let length = try dictionary["Length"]?.integer ?? dictionary["Length"]?.reference.flatMap { try resolve?($0.number) }
        guard let length, length >= 0, length <= bytes.count - start else { throw malformed }
        return (dictionary, bytes[start..<(start + length)])
    }

    /// The object `number`'s value (its dictionary, for a stream).
    func object(_ number: Int) throws -> PDFValue {
        switch objects[number] {
        case nil: throw PDFParser.Malformed(description: "object \(number) not found")
        case .direct(let generation, let offset)?:
            var parser = PDFParser(bytes, at: offset)
            guard parser.token() == String(number), parser.token() == String(generation), parser.token() == "obj" else {
                throw PDFParser.Malformed(description: "object \(number) not where the index says")
            }
            return try parser.value()
        case .compressed(let stream, let index)?:
            let decoded = try objectStream(stream)
            guard index >= 0, index < decoded.offsets.count, decoded.offsets[index].number == number else {
                throw PDFParser.Malformed(description: "object \(number) not in its object stream")
            }
            var parser = PDFParser(decoded.data, at: decoded.offsets[index].offset)
            return try parser.value()
        }
    }

    /// The object stream `number` (§7.5.7), decoded once: its data and where each of its objects starts.
    private func objectStream(_ number: Int) throws -> ObjectStreams.Decoded {
        if let decoded = objectStreams.decoded[number] { return decoded }
        let malformed = PDFParser.Malformed(description: "bad object stream \(number)")
        guard case .direct(_, let offset)? = objects[number] else { throw malformed }
        let (dictionary, raw) = try Self.stream(in: bytes, at: offset) { length in
            guard case .direct? = objects[length] else { return nil }
            return try object(length).integer
        }
        let data = try PDFStream.decode(raw, dictionary: dictionary)
        guard dictionary["Type"]?.nameValue == "ObjStm", let count = dictionary["N"]?.integer, let first = dictionary["First"]?.integer,
              count >= 0, count <= data.count / 2, first >= 0, first <= data.count else { throw malformed }
        var parser = PDFParser(data, at: 0)
        var offsets: [(number: Int, offset: Int)] = []
        for _ in 0..<count {
            guard let object = Int(parser.token()), let relative = Int(parser.token()), object >= 0, relative >= 0,
                  relative <= data.count - first else { throw malformed }
            offsets.append((object, first + relative))
        }
        let decoded = ObjectStreams.Decoded(data: data, offsets: offsets)
        objectStreams.decoded[number] = decoded
        return decoded
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

    /// The cache of decoded object streams: a file is read by one request, on one thread.
    private final class ObjectStreams {
        struct Decoded {
            let data: [UInt8]
            let offsets: [(number: Int, offset: Int)]
        }
        var decoded: [Int: Decoded] = [:]
    }

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
