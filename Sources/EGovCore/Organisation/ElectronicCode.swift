/// Mã định danh điện tử of an agency, `ddd.dd.dd.Ldd` (QĐ 20/2020/QĐ-TTg), e.g. `000.00.00.H41`.
/// The last group is level 1 (G ministries, H provinces). Codes are stored as opaque validated
/// strings: the 2025 mergers reassigned many of them, so no meaning beyond the format is assumed.
public struct ElectronicCode: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    public let value: String

    public init(_ value: String) throws(ValidationError) {
        guard Self.isValid(value) else {
            throw ValidationError(
                field: "code",
                vi: "Mã định danh điện tử “\(value)” không đúng định dạng ddd.dd.dd.Ldd (ví dụ 000.00.00.H41).",
                en: "Electronic identifier code “\(value)” is not of the form ddd.dd.dd.Ldd (e.g. 000.00.00.H41)."
            )
        }
        self.value = value
    }

    public static func isValid(_ value: String) -> Bool {
        let groups = value.split(separator: ".", omittingEmptySubsequences: false)
        guard groups.count == 4 else { return false }
        let lengths = [3, 2, 2]
        for (group, length) in zip(groups.prefix(3), lengths) {
            guard group.count == length, group.allSatisfy(\.isASCIIDigit) else { return false }
        }
        let last = Array(groups[3])
        return last.count == 3
            && last[0].isASCII && last[0].isUppercase
            && last[1].isASCIIDigit && last[2].isASCIIDigit
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(raw)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message.en))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    public var description: String { value }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
