/// A human-facing number pattern, e.g. the dossier code `{unit}-{yy}{MM}{dd}-{seq:4}` →
/// `000.00.12.H41-250701-0001` (the default of the standards doc; OpenCPS-style patterns let each
/// locality choose). The pattern also says how often the sequence starts again: per day when it
/// holds `{dd}`, per month with `{MM}`, per year with `{yy}`/`{yyyy}`, never otherwise.
public struct CodePattern: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Token: Sendable, Hashable {
        case literal(String)
        case unit
        case year4, year2, month, day
        case sequence(width: Int)
    }

    public enum Period: String, Sendable { case day, month, year, never }

    public let pattern: String
    public let tokens: [Token]

    public static let dossierDefault: CodePattern = {
        // The literal is checked by a test; a failure here is a programming error, not input.
        guard let pattern = try? CodePattern("{unit}-{yy}{MM}{dd}-{seq:4}") else { preconditionFailure("default dossier pattern") }
        return pattern
    }()

    public init(_ pattern: String) throws(ValidationError) {
        var tokens: [Token] = []
        var rest = Substring(pattern)
        while !rest.isEmpty {
            guard let open = rest.firstIndex(of: "{") else {
                tokens.append(.literal(String(rest)))
                break
            }
            if open > rest.startIndex { tokens.append(.literal(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}") else { throw Self.invalid(pattern) }
            let name = rest[rest.index(after: open)..<close]
            switch name {
            case "unit": tokens.append(.unit)
            case "yyyy": tokens.append(.year4)
            case "yy": tokens.append(.year2)
            case "MM": tokens.append(.month)
            case "dd": tokens.append(.day)
            default:
                guard name.hasPrefix("seq"), let width = name == "seq" ? 1 : Int(name.dropFirst(4)),
                      name == "seq" || name.dropFirst(3).first == ":", (1...9).contains(width)
                else { throw Self.invalid(pattern) }
                tokens.append(.sequence(width: width))
            }
            rest = rest[rest.index(after: close)...]
        }
        guard tokens.filter({ if case .sequence = $0 { true } else { false } }).count == 1 else { throw Self.invalid(pattern) }
        self.pattern = pattern
        self.tokens = tokens
    }

    private static func invalid(_ pattern: String) -> ValidationError {
        ValidationError(field: "pattern",
                        vi: "Mẫu số “\(pattern)” không hợp lệ: dùng {unit}, {yyyy}, {yy}, {MM}, {dd} và đúng một {seq:N}.",
                        en: "Pattern “\(pattern)” is invalid: use {unit}, {yyyy}, {yy}, {MM}, {dd} and exactly one {seq:N}.")
    }

    public var period: Period {
        if tokens.contains(.day) { return .day }
        if tokens.contains(.month) { return .month }
        if tokens.contains(.year2) || tokens.contains(.year4) { return .year }
        return .never
    }

    /// The counter the sequence comes from: one row per unit and period, so concurrent numbering in
    /// different units or days never waits on the same row.
    public func counterScope(kind: String, unit: String, date: CivilDate) -> String {
        switch period {
        case .day: "\(kind):\(unit):\(date.year)\(Self.pad(date.month, 2))\(Self.pad(date.day, 2))"
        case .month: "\(kind):\(unit):\(date.year)\(Self.pad(date.month, 2))"
        case .year: "\(kind):\(unit):\(date.year)"
        case .never: "\(kind):\(unit)"
        }
    }

    public func format(unit: String, date: CivilDate, sequence: Int) -> String {
        tokens.map { token in
            switch token {
            case .literal(let text): text
            case .unit: unit
            case .year4: String(date.year)
            case .year2: Self.pad(date.year % 100, 2)
            case .month: Self.pad(date.month, 2)
            case .day: Self.pad(date.day, 2)
            case .sequence(let width): Self.pad(sequence, width)
            }
        }.joined()
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    public var description: String { pattern }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(raw) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message.en))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(pattern)
    }
}
