import Foundation

/// The number and notation (số, ký hiệu) an official document is issued under, as Decree 30/2020 writes
/// them: `15/QĐ-UBND` (number / type abbreviation – issuing body) and, for a type without an abbreviation
/// (công văn, thư công), `15/UBND-VP` (number / issuing body – drafting unit). The one home of the rule:
/// issuance, registers, edXML and search all call it.
public struct DocumentNotation: Sendable, Hashable, Codable {
    /// The number in its register's year, from 1.
    public let number: Int
    /// What follows the slash, without the number (edXML's `CodeNotation`): `QĐ-UBND`, `UBND-VP`.
    public let code: String
    /// Numbers below 10 are written with a leading zero (`05/QĐ-UBND`). Reported, not checked against the
    /// decree's text [R], so a locality pack may turn it off.
    public let leadingZero: Bool

    /// The longest number a register gives: far beyond any year's documents, and small enough to print.
    public static let maxNumber = 9_999_999

    /// `number`, the type's abbreviation (nil for công văn and thư công), the issuing body's abbreviation
    /// and, for a type without abbreviation, the drafting unit's.
    public init(number: Int, typeAbbreviation: String?, issuer: String, draftingUnit: String?,
                leadingZero: Bool = true) throws(ValidationError) {
        guard (1...Self.maxNumber).contains(number) else {
            throw ValidationError(field: "number", vi: "Số văn bản phải từ 1 đến \(Self.maxNumber).",
                                  en: "A document number must be between 1 and \(Self.maxNumber).")
        }
        let issuer = Self.part(issuer)
        guard !issuer.isEmpty else {
            throw ValidationError(field: "issuer", vi: "Chưa có chữ viết tắt tên cơ quan ban hành.",
                                  en: "The issuing body has no abbreviation.")
        }
        let parts: [String]
        if let abbreviation = typeAbbreviation.map(Self.part), !abbreviation.isEmpty {
            parts = [abbreviation, issuer]
        } else {
            guard let unit = draftingUnit.map(Self.part), !unit.isEmpty else {
                throw ValidationError(field: "draftingUnit",
                                      vi: "Văn bản không có tên loại viết tắt (công văn, thư công) cần chữ viết tắt của đơn vị soạn thảo.",
                                      en: "A document type without an abbreviation (công văn, thư công) needs the drafting unit's abbreviation.")
            }
            parts = [issuer, unit]
        }
        self.number = number
        self.code = parts.joined(separator: "-")
        self.leadingZero = leadingZero
    }

    /// Reads `15/QĐ-UBND` (or `Số: 15/QĐ-UBND`), as another agency wrote it; nil when it is not of that shape.
    public init?(parsing text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if rest.lowercased().hasPrefix("số:") { rest = rest.dropFirst(3).drop(while: { $0 == " " }) }
        guard let slash = rest.firstIndex(of: "/"), let number = Int(rest[..<slash]), (1...Self.maxNumber).contains(number) else {
            return nil
        }
        let code = String(rest[rest.index(after: slash)...])
        guard !code.isEmpty, code.count <= 100, !code.contains(where: { $0 == "/" || $0.isWhitespace }) else { return nil }
        self.number = number
        self.code = code
        self.leadingZero = rest[..<slash].hasPrefix("0")
    }

    /// The number as printed: `05` or `15`.
    public var printedNumber: String {
        leadingZero && number < 10 ? "0\(number)" : String(number)
    }

    /// `15/QĐ-UBND`.
    public var text: String { "\(printedNumber)/\(code)" }

    /// Abbreviations are written as given (mixed case is meaning: `QyĐ`, `CTr`), without spaces or hyphens
    /// at their ends; inside, a hyphen may join parts (`TTĐT`, `VPCP-TTĐT` as one body's notation).
    private static func part(_ text: String) -> String {
        String(text.filter { !$0.isWhitespace && $0 != "/" }).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}
