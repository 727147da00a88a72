import Foundation

/// A PDF object (ISO 32000-1 §7.3), as much as signing and verifying need: parsed from a file's bytes and
/// written back. Strings keep their bytes as written (escapes included), so a rewritten dictionary says
/// exactly what the original said.
indirect enum PDFValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's text, written back unchanged.
    case number(String)
    /// A name without its slash, `#xx` escapes kept.
    case name(String)
    /// A literal string's bytes between the parentheses, escapes kept.
    case string([UInt8])
    /// A hexadecimal string, decoded.
    case hexString([UInt8])
    case array([PDFValue])
    case dictionary(PDFDictionary)
    case reference(Int, Int)

    var dictionary: PDFDictionary? { if case .dictionary(let d) = self { d } else { nil } }
    var array: [PDFValue]? { if case .array(let a) = self { a } else { nil } }
    var integer: Int? { if case .number(let text) = self { Int(text) } else { nil } }
    var reference: (number: Int, generation: Int)? { if case .reference(let n, let g) = self { (n, g) } else { nil } }
    var nameValue: String? { if case .name(let n) = self { n } else { nil } }

    /// A literal string's text with its escapes resolved (UTF-16BE when it starts with a BOM, else Latin-1).
    var text: String? {
        let bytes: [UInt8]
        switch self {
        case .string(let raw): bytes = PDFValue.unescape(raw)
        case .hexString(let decoded): bytes = decoded
        default: return nil
        }
        if bytes.starts(with: [0xFE, 0xFF]) { return String(data: Data(bytes.dropFirst(2)), encoding: .utf16BigEndian) }
        return String(bytes: bytes, encoding: .isoLatin1)
    }

    /// A text string for a PDF: UTF-16BE with a BOM as hex (ISO 32000-1 §7.9.2.2), so Vietnamese survives.
    static func text(_ string: String) -> PDFValue {
        .hexString([0xFE, 0xFF] + Array(string.data(using: .utf16BigEndian) ?? Data()))
    }

    /// The value as a file writes it.
    var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    func write(into out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let value): out += Array((value ? "true" : "false").utf8)
        case .number(let text): out += Array(text.utf8)
        case .name(let name): out += Array("/\(name)".utf8)
        case .string(let raw): out.append(0x28); out += raw; out.append(0x29)
        case .hexString(let bytes):
            out.append(0x3C)
            out += Array(bytes.hexEncoded.utf8)
            out.append(0x3E)
        case .array(let items):
            out.append(0x5B)
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(0x20) }
                item.write(into: &out)
            }
            out.append(0x5D)
        case .dictionary(let dictionary): dictionary.write(into: &out)
        case .reference(let number, let generation): out += Array("\(number) \(generation) R".utf8)
        }
    }

    private static func unescape(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            index += 1
            guard byte == 0x5C, index < raw.count else { out.append(byte); continue }
            let next = raw[index]
            index += 1
            switch next {
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x30...0x37:
                var value = Int(next - 0x30)
                for _ in 0..<2 where index < raw.count && (0x30...0x37).contains(raw[index]) {
                    value = value * 8 + Int(raw[index] - 0x30)
                    index += 1
                }
                out.append(UInt8(value & 0xFF))
            case 0x0A, 0x0D: break
            default: out.append(next)
            }
        }
        return out
    }
}

/// A PDF dictionary that keeps its keys' order.
struct PDFDictionary: Equatable, Sendable {
    private(set) var entries: [(key: String, value: PDFValue)] = []

    init(_ entries: [(String, PDFValue)] = []) {
        self.entries = entries.map { (key: $0.0, value: $0.1) }
    }

    subscript(key: String) -> PDFValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((key: key, value: newValue))
            }
        }
    }

    static func == (lhs: PDFDictionary, rhs: PDFDictionary) -> Bool {
        lhs.entries.count == rhs.entries.count && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    func write(into out: inout [UInt8]) {
        out += Array("<<".utf8)
        for entry in entries {
            out += Array("/\(entry.key) ".utf8)
            entry.value.write(into: &out)
            out.append(0x0A)
        }
        out += Array(">>".utf8)
    }

    /// A stream object's body (ISO 32000-1 §7.3.8): this dictionary with `/Length` set, then `data` between
    /// `stream` and `endstream`.
    func stream(with data: [UInt8]) -> [UInt8] {
        var dictionary = self
        dictionary["Length"] = .number(String(data.count))
        return PDFValue.dictionary(dictionary).bytes + Array("\nstream\n".utf8) + data + Array("\nendstream".utf8)
    }
}

/// Reads PDF objects from bytes. Nesting is bounded: a hostile file cannot exhaust the stack.
struct PDFParser {
    let bytes: [UInt8]
    var position: Int
    static let maxDepth = 64

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    init(_ bytes: [UInt8], at position: Int) {
        self.bytes = bytes
        self.position = position
    }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C || byte == 0x00 }
    static func isDelimiter(_ byte: UInt8) -> Bool { "()<>[]{}/%".utf8.contains(byte) }

    mutating func skipWhitespace() {
        while position < bytes.count {
            if Self.isWhitespace(bytes[position]) {
                position += 1
            } else if bytes[position] == 0x25 { // % comment to the end of the line
                while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
            } else {
                return
            }
        }
    }

    /// A regular token (keyword or number) at the position.
    mutating func token() -> String {
        skipWhitespace()
        let start = position
        while position < bytes.count, !Self.isWhitespace(bytes[position]), !Self.isDelimiter(bytes[position]) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func value(depth: Int = 0) throws -> PDFValue {
        guard depth < Self.maxDepth else { throw Malformed(description: "objects nested too deeply") }
        skipWhitespace()
        guard position < bytes.count else { throw Malformed(description: "unexpected end of file") }
        switch bytes[position] {
        case 0x2F: // /name
            position += 1
            let start = position
            while position < bytes.count, !Self.isWhitespace(bytes[position]), !Self.isDelimiter(bytes[position]) { position += 1 }
            return .name(String(decoding: bytes[start..<position], as: UTF8.self))
        case 0x28: return .string(try literalString())
        case 0x3C:
            if position + 1 < bytes.count, bytes[position + 1] == 0x3C {
                position += 2
                var dictionary = PDFDictionary()
                while true {
                    skipWhitespace()
                    guard position < bytes.count else { throw Malformed(description: "unterminated dictionary") }
                    if bytes[position] == 0x3E {
                        guard position + 1 < bytes.count, bytes[position + 1] == 0x3E else { throw Malformed(description: "bad dictionary end") }
                        position += 2
                        return .dictionary(dictionary)
                    }
                    guard case .name(let key) = try value(depth: depth + 1) else { throw Malformed(description: "dictionary key is not a name") }
                    dictionary[key] = try value(depth: depth + 1)
                }
            }
            return .hexString(try hexString())
        case 0x5B:
            position += 1
            var items: [PDFValue] = []
            while true {
                skipWhitespace()
                guard position < bytes.count else { throw Malformed(description: "unterminated array") }
                if bytes[position] == 0x5D { position += 1; return .array(items) }
                items.append(try value(depth: depth + 1))
            }
        default:
            let word = token()
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            case "": throw Malformed(description: "unexpected byte \(bytes[position])")
            default:
                guard word.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }), word.count <= 32 else {
                    throw Malformed(description: "unexpected keyword \(word.prefix(32))")
                }
                // `n g R` is a reference: look ahead without consuming anything else.
                if let number = Int(word), number >= 0 {
                    var ahead = self
                    if let generation = Int(ahead.token()), generation >= 0, generation <= 65_535, ahead.token() == "R" {
                        self = ahead
                        return .reference(number, generation)
                    }
                }
                return .number(word)
            }
        }
    }

    private mutating func literalString() throws -> [UInt8] {
        position += 1
        let start = position
        var depth = 1
        while position < bytes.count {
            switch bytes[position] {
            case 0x5C: position += 2
            case 0x28: depth += 1; position += 1
            case 0x29:
                depth -= 1
                if depth == 0 {
                    defer { position += 1 }
                    return Array(bytes[start..<position])
                }
                position += 1
            default: position += 1
            }
        }
        throw Malformed(description: "unterminated string")
    }

    private mutating func hexString() throws -> [UInt8] {
        position += 1
        let start = position
        while position < bytes.count, bytes[position] != 0x3E { position += 1 }
        guard position < bytes.count else { throw Malformed(description: "unterminated hex string") }
        position += 1
        guard let decoded = [UInt8](hexDigits: bytes[start..<(position - 1)], skipping: Self.isWhitespace) else {
            throw Malformed(description: "bad hex string")
        }
        return decoded
    }
}
